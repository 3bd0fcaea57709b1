"""The grader as a pytest plugin: the same checks, run as test items.

Installed with the package (entry point `pytest11`). `pytest --kata conv2d`
grades katas/conv2d.py, one test item per check; `pytest katas/conv2d.py`
(or `pytest katas/`) does the same for the files named. A failing item's
report is the scorecard's message. The learner's code still runs in its own
process: pytest's never imports it.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from grader.grading.catalogue import kata_names, learner_file, load_kata
from grader.workspace import NoWorkspace

# The engine (and numpy with it) loads only when a kata file is graded: pytest loads this plugin in
# every project where the package is installed.


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader", "deep-learning katas")
    group.addoption("--kata", action="append", default=[], metavar="NAME",
                    help="grade katas/NAME.py, one test item per check (repeatable)")


def pytest_configure(config: pytest.Config) -> None:
    names = config.getoption("kata")
    unknown = sorted(set(names) - set(kata_names()))
    if unknown:
        raise pytest.UsageError(f"unknown kata {', '.join(unknown)}; the katas are: {', '.join(kata_names())}")
    if names:  # grade those files instead of collecting the test paths
        try:
            config.args[:] = [str(learner_file(name)) for name in names]
        except NoWorkspace as error:
            raise pytest.UsageError(str(error)) from None


def pytest_unconfigure(config: pytest.Config) -> None:
    """Close the learner's processes' launchers now: pytest-xdist's workers leave by os._exit, which skips the
    atexit hooks that would remove their jail and memory groups."""
    launcher = sys.modules.get("grader.sandbox.launcher")  # loaded only if something was graded
    if launcher is not None:
        launcher.close_all()


def _kata_of(path: Path) -> str | None:
    """The kata a file is the learner's answer to: katas/<name>.py for a known name."""
    return path.stem if path.suffix == ".py" and path.parent.name == "katas" and path.stem in kata_names() else None


def pytest_pycollect_makemodule(module_path: Path, parent):
    """A kata file named on the command line: grade it rather than import it as a test module."""
    return KataFile.from_parent(parent, path=module_path) if _kata_of(module_path) else None


def pytest_collect_file(file_path: Path, parent):
    """Kata files found inside a collected katas/ directory (they don't match test_*.py)."""
    if _kata_of(file_path) and not parent.session.isinitpath(file_path):
        return KataFile.from_parent(parent, path=file_path)
    return None


class KataFile(pytest.File):
    """A learner's kata file: graded once, one item per check."""

    def collect(self):
        self.kata = load_kata(_kata_of(self.path))
        self.report = None
        for check in self.kata.checks:
            yield KataCheck.from_parent(self, name=f"{check.group}: {check.name}", check_name=check.name)

    def graded(self):
        if self.report is None:
            from grader.grading.engine import grade  # noqa: PLC0415
            from grader.practice.parts import parts_gate  # noqa: PLC0415

            self.report = grade(self.kata, self.path, gate=parts_gate() if self.kata.depends_on else None)
        return self.report


class KataCheckFailed(Exception):
    """A check did not pass; carries the scorecard's message."""


class KataCheck(pytest.Item):
    """One check of the scorecard, as a test item."""

    def __init__(self, *, check_name: str, **kwargs):
        super().__init__(**kwargs)
        self.check_name = check_name

    def runtest(self) -> None:
        report = self.parent.graded()
        result = next(check for check in report.checks if check.name == self.check_name)
        if not result.passed:
            lines = [f"{result.outcome.upper()}: {result.message}"]
            if result.error_map:
                lines += [f"where {result.map_title}:", result.error_map]
            if report.problem:
                lines.append(f"Problem: {report.problem}")
            lines += [f"Diagnosis: {name}. {explanation}" for name, explanation in report.diagnoses]
            raise KataCheckFailed("\n".join(lines))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, KataCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"{self.path.stem}: {self.name}"
