"""Shared helpers: grade a file in-process or through the CLI, as a learner would."""
from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader.grading.catalogue import kata_names
from grader.practice.stubs import NoPristineStub, is_stub, pristine_stub

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
LEARNERS = Path(__file__).resolve().parent / "learners"


def blas_thread_counts() -> list[int]:
    """The thread count of each BLAS library numpy loaded in this process (empty: none threadpoolctl knows)."""
    from threadpoolctl import threadpool_info  # noqa: PLC0415

    return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 60,
            within: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`python -m grader ARGS` in a fresh interpreter, exactly as a learner types it (after `within`, a command
    that runs it: tests/container_like.py)."""
    environment = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR")}
    # Grading the checkout's own katas/ records progress: keep that out of the repository.
    environment.setdefault("GRADER_PROGRESS", os.path.join(tempfile.gettempdir(), f"grader-progress-{os.getpid()}.json"))
    environment.update(env or {})
    return subprocess.run([*within, sys.executable, "-m", "grader", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=timeout)


def run_json(*args: str, **kwargs) -> tuple[subprocess.CompletedProcess, dict]:
    """The CLI with --json; asserts stdout is exactly one JSON object and returns it parsed."""
    result = run_cli(*args, "--json", **kwargs)
    decoder = json.JSONDecoder()
    text = result.stdout.strip()
    report, end = decoder.raw_decode(text)
    assert end == len(text), f"more than one JSON object on stdout: {text[end:end + 200]!r}"
    assert isinstance(report, dict)
    return result, report


def failed_checks(report: dict) -> dict[str, str]:
    """{check name: message} for the checks that did not pass."""
    return {check["name"]: check["message"] for check in report["checks"] if not check["passed"]}


@pytest.fixture
def learner_file(tmp_path):
    """Write a learner module into a temporary file and return its path."""
    def write(source: str, name: str = "learner.py") -> Path:
        path = tmp_path / name
        path.write_text(source)
        return path
    return write


@functools.cache
def pristine_root() -> Path:
    """The catalogue as shipped, whatever a maintainer practising in this checkout has done to katas/:
    a temporary root whose katas/ holds each kata's untouched stub (the file itself while it is one,
    else git's last committed stub, as `reset` finds it), with solutions/ and tests/learners/ linked.
    Made once per test process."""
    root = Path(tempfile.mkdtemp(prefix="pristine-catalogue-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / "katas").mkdir()
    shutil.copy(ROOT / "katas" / "__init__.py", root / "katas" / "__init__.py")
    for name in kata_names():
        path = ROOT / "katas" / f"{name}.py"
        source = path.read_bytes() if path.is_file() else b""
        if not is_stub(source):
            try:
                source = pristine_stub(path)
            except NoPristineStub as error:
                pytest.fail(f"the tests need the untouched stubs: {error}")
        (root / "katas" / path.name).write_bytes(source)
    (root / "solutions").symlink_to(ROOT / "solutions", target_is_directory=True)
    (root / "tests").mkdir()
    (root / "tests" / "learners").symlink_to(LEARNERS, target_is_directory=True)
    return root


def correct_answer(kata: str) -> Path:
    """A correct answer that is not the reference (the references are graded once per run, by
    test_katas_match_solutions.py): the ok_ variant in tests/learners/<kata>/ that imports the most of
    its parts (a capstone's), the first by name among those."""
    variants = sorted((LEARNERS / kata).glob("ok_*.py"))
    assert variants, f"tests/learners/{kata}/ has no correct variant (ok_*.py)"
    return max(variants, key=lambda path: path.read_text().count("from solutions."))


def learner_checkout(tmp_path: Path, solved=()) -> Path:
    """tmp_path as a learner's checkout: katas/ holds the untouched stubs, but for each kata in `solved`
    a correct answer (`correct_answer`) importing its parts from katas/, as a learner's capstone does.
    Returns tmp_path."""
    shutil.copytree(pristine_root() / "katas", tmp_path / "katas")
    for name in solved:
        source = correct_answer(name).read_text().replace("from solutions.", "from katas.")
        (tmp_path / "katas" / f"{name}.py").write_text(source)
    return tmp_path


@pytest.fixture
def graded_as_parts(monkeypatch) -> list[str]:
    """The katas a capstone grades as its parts (grader.practice.parts's gate), in order, as they are graded."""
    from grader.practice import parts  # noqa: PLC0415

    graded: list[str] = []
    grade = parts.grade

    def counting_grade(kata, path, **options):
        graded.append(kata.name)
        return grade(kata, path, **options)

    monkeypatch.setattr(parts, "grade", counting_grade)
    return graded


@pytest.fixture(params=["fork", "spawn"])
def start_mode(request, monkeypatch) -> str:
    """Each test that asks for it runs twice: the learner's processes forked from the zygote, and each a fresh
    interpreter (GRADER_START=spawn, the start on macOS and Windows); verdicts must not differ."""
    monkeypatch.setenv("GRADER_START", request.param)
    return request.param
