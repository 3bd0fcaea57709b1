"""The pytest front end: the same checks as test items, through pytest's own pytester."""
import shutil
from importlib.metadata import entry_points

import pytest

from conftest import ROOT, correct_answer, pristine_root

#: Installed with the package, the plugin loads itself; from a bare checkout, name it.
INSTALLED = any(entry.value == "grader.instructor.pytest_plugin" for entry in entry_points(group="pytest11"))


@pytest.fixture
def checkout(pytester, monkeypatch):
    """A learner's working copy: the katas, with iou solved and conv2d untouched."""
    shutil.copytree(pristine_root() / "katas", pytester.path / "katas")
    shutil.copy(correct_answer("iou"), pytester.path / "katas" / "iou.py")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return pytester


def _run(pytester, *args):
    plugin = () if INSTALLED else ("-p", "grader.instructor.pytest_plugin")
    return pytester.runpytest_subprocess(*plugin, "-p", "no:cacheprovider", *args)


def test_a_solved_kata_is_one_passing_item_per_check(checkout):
    result = _run(checkout, "--kata", "iou", "-v")
    result.assert_outcomes(passed=14)
    result.stdout.fnmatch_lines(["*katas/iou.py::edge: touching boxes give 0 PASSED*"])


def test_failures_report_the_scorecards_message(checkout):
    result = _run(checkout, "--kata", "conv2d")
    result.assert_outcomes(failed=13)
    result.stdout.fnmatch_lines(["*NOT STARTED: not started: conv2d_forward raises NotImplementedError*"])
    assert result.ret == 1


def test_a_wrong_answer_names_the_broken_rule(checkout):
    shutil.copy(ROOT / "tests" / "learners" / "conv2d" / "bug_db_mean.py", checkout.path / "katas" / "conv2d.py")
    result = _run(checkout, "--kata", "conv2d")
    result.assert_outcomes(passed=10, failed=3)
    result.stdout.fnmatch_lines(["*gradient: gradient db*", "*FAIL: *expected -*, got -*", "*Diagnosis: db averaged*"])


def test_collecting_the_katas_folder_grades_every_kata_file(checkout):
    result = _run(checkout, "katas/iou.py", "katas/conv2d.py")
    result.assert_outcomes(passed=14, failed=13)


def test_an_unknown_kata_is_a_usage_error(checkout):
    result = _run(checkout, "--kata", "conv3d")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown kata conv3d*"])


def test_outside_a_workspace_kata_is_a_usage_error_that_says_how_to_make_one(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = _run(pytester, "--kata", "iou")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*python -m grader init DIR*"])


def test_the_plugin_is_harmless_in_a_project_of_its_own(pytester, monkeypatch):
    # Installed, it loads in every project: there it neither collects nor fails anything of its own.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_theirs="def test_theirs():\n    assert True\n")
    result = _run(pytester)
    result.assert_outcomes(passed=1)
