"""`import grader; grader.check("iou")` in a notebook: real notebooks run in a real kernel (nbclient, ipykernel),
and the rebuilding of a module from a namespace, on its own.

The kernel is this interpreter (the venv's, where ipykernel and this checkout's grader are installed): a kernel
spec written under a temporary folder names sys.executable, so that no python3 kernel spec of the machine's
(a user's own, pointing at another Python) is used instead.
"""
from __future__ import annotations

import importlib.util
import json
import linecache
import math
import os
import re
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from grader.practice.notebook import check, rebuild_module

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
KERNEL = "dl-katas-test-python"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


# -- running a notebook ------------------------------------------------------------

@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory) -> Path:
    """A folder of kernel specs holding KERNEL: ipykernel on this interpreter."""
    pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    folder = tmp_path_factory.mktemp("kernels")
    (folder / KERNEL).mkdir()
    (folder / KERNEL / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "dl-katas tests", "language": "python"}))
    return folder


def run_notebook(name: str, folder: Path, kernel_specs: Path) -> tuple[str, Path]:
    """Execute tests/notebooks/<name> in a fresh kernel working in `folder`, its progress file
    `folder`/progress.json; returns every output's text (streams, text/plain, text/html; colours stripped)
    and that progress file's path. A cell that raises fails the test (nbclient's CellExecutionError)."""
    import nbformat  # noqa: PLC0415 -- only where the kernel tests run (importorskip in kernel_specs)
    from jupyter_client.kernelspec import KernelSpecManager  # noqa: PLC0415
    from jupyter_client.manager import KernelManager  # noqa: PLC0415
    from nbclient import NotebookClient  # noqa: PLC0415

    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    progress = folder / "progress.json"
    manager = KernelManager(kernel_name=KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_specs)]))
    client = NotebookClient(notebook, km=manager, timeout=120, resources={"metadata": {"path": str(folder)}})
    client.execute(env={**os.environ, "GRADER_PROGRESS": str(progress)})
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts += [output.get("data", {}).get(kind, "") for kind in ("text/plain", "text/html")]
    return _ANSI.sub("", "\n".join(texts)), progress


@pytest.fixture(scope="module")
def correct_notebook(tmp_path_factory, kernel_specs) -> tuple[str, Path]:
    return run_notebook("iou_correct.ipynb", tmp_path_factory.mktemp("correct"), kernel_specs)


@pytest.fixture(scope="module")
def mistaken_notebook(tmp_path_factory, kernel_specs) -> tuple[str, Path]:
    return run_notebook("iou_plus_one.ipynb", tmp_path_factory.mktemp("plus_one"), kernel_specs)


def test_a_correct_answer_in_a_notebook_passes_and_its_scorecard_is_shown_there(correct_notebook):
    output, _ = correct_notebook  # the notebook's own cell asserts report.passed
    assert "Kata iou  the notebook" in output
    assert "Score 14/14  PASSED" in output
    assert "Not taken from the notebook" not in output  # np, the constant and the helper all made it


def test_the_notebooks_code_runs_in_a_process_of_its_own_not_in_the_kernel(correct_notebook):
    output, _ = correct_notebook
    kernel = re.search(r"the kernel runs in process (\d+)", output)
    learner = re.search(r"iou_matrix runs in process (\d+)", output)  # in the scorecard's box of the code's prints
    assert kernel and learner, output[-3000:]
    assert learner.group(1) != kernel.group(1)
    assert "learner_iou imported into the kernel: False" in output


def test_a_mistake_in_a_notebook_fails_and_the_scorecard_says_which(mistaken_notebook):
    output, _ = mistaken_notebook  # the notebook's own cell asserts `not report.passed`
    assert "FAILING" in output and "FAIL   iou values" in output
    assert "Diagnosis: +1 pixel convention." in output


def test_a_notebooks_run_is_recorded_only_when_asked(mistaken_notebook):
    output, progress = mistaken_notebook
    assert "progress file after record=False: False" in output
    recorded = json.loads(progress.read_text())["katas"]
    assert list(recorded) == ["iou"]
    assert recorded["iou"]["status"] == "failing" and 0 < recorded["iou"]["score"] < recorded["iou"]["max_score"]


# -- rebuilding a module from a namespace, without a kernel ------------------------------------

def _module(tmp_path: Path, source: str, name: str):
    """`source` imported as module `name` from a real file (inspect finds its definitions' source there)."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


@pytest.fixture
def answers(tmp_path):
    """A learner's module with what the rebuilding must carry over, and what it must not."""
    module = _module(tmp_path, '''
        import functools
        import os.path as osp
        from math import sqrt as root

        import numpy as np

        Scaled = None  # first bound here: a definition's place in the namespace is its first binding's
        SCALE = 2.0
        LIMITS = {"low": (0, -1.5), "high": [float("inf"), None]}
        MISSING = float("nan")
        WEIGHTS = np.ones(3)  # an array: left out, and said
        UNUSED = "nothing refers to me"
        np_scale = np.float64(3.0)  # a numpy scalar is no plain constant


        def logged(function):
            @functools.wraps(function)
            def wrapper(*args):
                return function(*args)
            return wrapper


        class Base:
            def offset(self):
                return SCALE


        class Scaled(Base):
            def apply(self, x):
                return root(x) * SCALE + self.offset()


        def unrelated():
            return osp.sep


        @logged
        def answer(x, shadow=SCALE):
            unrelated = 1  # a local, not the function above
            return Scaled().apply(x) + helper(x) + unrelated + len(LIMITS) * 0


        def helper(x):
            if x < 0:  # never, here: what this branch uses is still carried over, or said to be left out
                return np.sum(WEIGHTS) * np_scale
            return x if is_nan(MISSING) else -1.0


        def is_nan(value):
            return value != value


        alias = answer
        ''', "notebook_answers")
    yield module
    del sys.modules["notebook_answers"]


def test_the_rebuilt_module_holds_what_the_functions_use_and_nothing_else(answers):
    rebuilt = rebuild_module(["alias", "answer"], vars(answers), "test")
    rebuilt_namespace: dict = {}
    exec(compile(rebuilt.source, "<rebuilt>", "exec"), rebuilt_namespace)
    assert rebuilt_namespace["alias"](4.0) == answers.answer(4.0) == 11.0
    assert "@logged" in rebuilt.source  # the decorator is kept, and its own imports with it
    defined = {name for name in rebuilt_namespace if not name.startswith("__")}
    assert defined == {"functools", "root", "np", "SCALE", "LIMITS", "MISSING", "logged", "Base", "Scaled",
                       "answer", "alias", "helper", "is_nan"}
    assert rebuilt_namespace["LIMITS"] == answers.LIMITS and math.isnan(rebuilt_namespace["MISSING"])
    assert set(rebuilt.left_out) == {"WEIGHTS", "np_scale"}
    assert "numpy.ndarray" in rebuilt.left_out["WEIGHTS"] and "numpy.float64" in rebuilt.left_out["np_scale"]
    assert rebuilt.definitions == {"logged", "Base", "Scaled", "answer", "alias", "helper", "is_nan"}


def test_the_rebuilt_module_puts_imports_and_constants_first_and_a_base_class_before_its_subclass(answers):
    source = rebuild_module(["answer"], vars(answers), "test").source
    place = {text: source.index(text) for text in ("import numpy as np", "SCALE = 2.0", "class Base:",
                                                    "class Scaled(Base):", "def logged(", "@logged")}
    # Scaled's name was bound before Base's: only the order a class body needs puts Base first.
    assert place["import numpy as np"] < place["SCALE = 2.0"] < place["class Base:"] < place["class Scaled(Base):"]
    assert place["def logged("] < place["@logged"]


def test_a_missing_function_is_left_for_the_grader_to_report(answers):
    rebuilt = rebuild_module(["answer", "not_written_yet"], vars(answers), "test")
    assert "not_written_yet" not in rebuilt.source and "not_written_yet" not in rebuilt.left_out


def test_a_function_made_inside_another_or_a_cyclic_constant_is_left_out_and_said_why(tmp_path):
    module = _module(tmp_path, '''
        def make():
            def made():
                return 1
            return made


        answer = make()
        LOOP = []
        LOOP.append(LOOP)


        def uses_loop():
            return LOOP
        ''', "notebook_left_out")
    try:
        rebuilt = rebuild_module(["answer", "uses_loop"], vars(module), "test")
    finally:
        del sys.modules["notebook_left_out"]
    assert "made inside another function" in rebuilt.left_out["answer"]
    assert "a list holding something other than plain constants" in rebuilt.left_out["LOOP"]
    assert "def made" not in rebuilt.source and "def uses_loop" in rebuilt.source


def test_a_table_of_the_notebooks_functions_is_rebuilt_after_what_it_names(tmp_path):
    module = _module(tmp_path, '''
        def sgd(w, dw):
            return w - dw


        class Trainer:
            def step(self, rule, w, dw):
                return RULES[rule](w, dw)


        RULES = {"sgd": sgd, "plain": (sgd, 1.0), "cls": Trainer}
        ''', "notebook_table")
    try:
        rebuilt = rebuild_module(["Trainer"], vars(module), "test")
    finally:
        del sys.modules["notebook_table"]
    assert not rebuilt.left_out
    assert rebuilt.source.index("def sgd(") < rebuilt.source.index("RULES = {")
    assert rebuilt.source.index("class Trainer") < rebuilt.source.index("RULES = {")
    rebuilt_namespace: dict = {}
    exec(compile(rebuilt.source, "<rebuilt>", "exec"), rebuilt_namespace)
    assert rebuilt_namespace["Trainer"]().step("sgd", 3.0, 1.0) == 2.0
    assert rebuilt_namespace["RULES"]["cls"] is rebuilt_namespace["Trainer"]


def test_definitions_from_cells_kept_only_in_linecache_are_rebuilt_classes_too(tmp_path):
    """As IPython runs a cell: compiled under a file name that linecache alone knows, in a module that has no
    file (so inspect cannot find a class's source by itself)."""
    namespace = {"__name__": "notebook_cells"}
    cells = ["class Point:\n    def norm(self):\n        return 5.0\n",
             "class Empty:\n    pass\n",
             "def answer():\n    return Point().norm() + len([Empty()])\n"]
    for number, cell in enumerate(cells):
        filename = str(tmp_path / f"ipykernel-cell-{number}.py")  # no such file: linecache only
        linecache.cache[filename] = (len(cell), None, cell.splitlines(keepends=True), filename)
        exec(compile(cell, filename, "exec"), namespace)
    namespace["_ih"] = ["", *cells]  # IPython's inputs as run: where a class without methods is found
    rebuilt = rebuild_module(["answer"], namespace, "test")
    assert rebuilt.left_out == {}
    rebuilt_namespace: dict = {}
    exec(compile(rebuilt.source, "<rebuilt>", "exec"), rebuilt_namespace)
    assert rebuilt_namespace["answer"]() == 6.0


def test_an_unknown_kata_is_a_value_error_naming_the_katas():
    with pytest.raises(ValueError, match=r"unknown kata 'conv3d'; the katas are: .*conv2d.*iou"):
        check("conv3d", namespace={})


def test_a_capstone_built_in_a_notebook_grades_the_parts_its_code_uses_first(tmp_path, capsys):
    """mlp_regression with its parts defined beside it, as one notebook would: a wrong linear_forward is named
    as the part to solve first."""
    parts = ("linear", "activations", "mse_loss", "optimizers", "mlp_regression")
    # The references, with their relative imports of each other dropped: one namespace holds them all.
    source = "\n\n".join(re.sub(r"^from \..*$", "", (ROOT / "solutions" / f"{part}.py").read_text(), flags=re.MULTILINE)
                         for part in parts)
    source += "\n\ndef linear_forward(x, w, b):\n    return x.reshape(len(x), -1) @ w, (x, w, b)\n"  # no + b
    module = _module(tmp_path, source, "notebook_capstone")
    try:
        report = check("mlp_regression", namespace=vars(module))
    finally:
        del sys.modules["notebook_capstone"]
    assert report.problem is not None and "do not pass yet: linear (" in report.problem
    assert "activations" not in report.problem and not report.passed
    assert "not run: solve linear first" in capsys.readouterr().out  # the scorecard, shown


def test_what_the_code_uses_but_cannot_be_rebuilt_is_named_above_the_scorecard(tmp_path, capsys):
    module = _module(tmp_path, (ROOT / "solutions" / "iou.py").read_text() + textwrap.dedent('''
        ORIGIN = np.zeros(4)  # an array: not rebuilt


        def iou(box_a, box_b):
            return float(np.sum(ORIGIN))
        '''), "notebook_uses_an_array")
    try:
        report = check("iou", namespace=vars(module))
    finally:
        del sys.modules["notebook_uses_an_array"]
    shown = capsys.readouterr().out
    assert "Not taken from the notebook" in shown and "ORIGIN: a numpy.ndarray" in shown
    assert not report.passed and "NameError: name 'ORIGIN' is not defined" in " ".join(shown.split())
