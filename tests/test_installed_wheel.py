"""The product as a new learner gets it: `pip install` of the built wheel into a fresh venv, no clone, no git.

One venv for the module (the wheel and its runtime dependencies, nothing else): `init` makes a workspace in
a scratch folder outside any git checkout, and the learner grades, edits, passes, resets and interviews in
it, from its root and from the folders below it.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="the wheel is built from the checkout")


def _run(*command, cwd: Path, check: bool = False, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "GRADER_PROGRESS", "FORCE_COLOR", "VIRTUAL_ENV")}
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The python of a fresh venv holding the wheel built from this checkout (and numpy, rich, threadpoolctl)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"  # a clean copy of the tracked files: what a release is built from
    source.mkdir()
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", source, cwd=base, check=True)
    _run(sys.executable, "-m", "venv", base / "venv", cwd=base, check=True)
    python = base / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    wheel = next((base / "dist").glob("*.whl"))
    _run(python, "-m", "pip", "install", "-q", wheel, cwd=base, check=True)
    return python


@pytest.fixture
def scratch() -> Path:
    """A folder outside any git checkout (tmp_path may sit under one)."""
    folder = Path(tempfile.mkdtemp(prefix="grader-learner-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_wheel_puts_nothing_under_generic_names(installed):
    listing = _run(installed, "-c", "import importlib.util as u; print([n for n in ('katas', 'solutions') "
                                    "if u.find_spec(n)])", cwd=installed.parent, check=True)
    assert listing.stdout.strip() == "[]"


def test_a_learner_practises_in_a_workspace_made_by_init(installed, scratch):
    grader = (installed, "-m", "grader")
    made = _run(*grader, "init", "practice", cwd=scratch, check=True)
    workspace = scratch / "practice"
    assert "katas written" in made.stdout and (workspace / "katas" / "iou.py").is_file()
    assert _run("git", "rev-parse", cwd=workspace).returncode != 0  # no git anywhere above it

    not_started = _run(*grader, "iou", cwd=workspace)
    assert not_started.returncode == 1 and "NOT STARTED" in not_started.stdout

    (workspace / "katas" / "iou.py").write_text((ROOT / "solutions" / "iou.py").read_text())  # the edit
    below = workspace / "katas"  # every command works below the root too
    passed = _run(*grader, "iou", "--json", cwd=below)
    assert passed.returncode == 0 and json.loads(passed.stdout)["passed"], passed.stderr
    progress = json.loads((workspace / ".grader-progress.json").read_text())  # at the root, not in katas/
    assert progress["katas"]["iou"]["status"] == "passed"
    assert not (below / ".grader-progress.json").exists()

    hint = _run(*grader, "hint", "iou", cwd=below, check=True)
    assert "iou, hint 1 of 3" in hint.stdout
    solution = _run(*grader, "solution", "iou", "--yes", cwd=below, check=True)  # from grader/references
    assert "def iou_matrix(" in solution.stdout

    reset = _run(*grader, "reset", "iou", cwd=below, check=True)
    assert "untouched stub again" in reset.stdout
    assert "NotImplementedError" in (workspace / "katas" / "iou.py").read_text()
    assert len(list((workspace / "katas").glob("iou.py.bak-*"))) == 1

    interview = _run(*grader, "interview", "iou", "--stop-after", "0.5", cwd=below)
    assert interview.returncode == 1 and "Interview: iou" in interview.stdout  # over without a pass
    assert (workspace / "interview" / "iou.py").read_text() == (workspace / "katas" / "iou.py").read_text()


def test_outside_a_workspace_the_grader_says_how_to_make_one(installed, scratch):
    result = _run(installed, "-m", "grader", "iou", cwd=scratch)
    assert result.returncode == 2 and "python -m grader init DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_catalogue_commands_say_they_need_a_checkout(installed, scratch):
    for command in (("check",), ("new", "my_kata")):
        result = _run(installed, "-m", "grader", *command, cwd=scratch)
        assert result.returncode == 2 and "checkout of this project" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
