"""The instructor's tools: the catalogue self-check, and the Gradescope export."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import LEARNERS, ROOT
from grader.grading.catalogue import load_kata
from grader.grading.engine import grade
from grader.reporting.gradescope import report_to_gradescope
from grader.instructor.selfcheck import check_catalogue


# The sound catalogue itself is checked kata by kata in test_katas_match_solutions.py.


def test_self_check_reports_a_broken_catalogue(tmp_path):
    for folder in ("katas", "solutions", "tests/learners/iou"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "katas" / "orphan.py").write_text("def f():\n    pass\n")
    (tmp_path / "katas" / "iou.py").write_text("def iou(box_a, box_b):\n    return 1.0\n")
    problems = check_catalogue(tmp_path)
    assert "katas/orphan.py has no spec in grader/specs/ (not registered)" in problems
    assert any(problem.startswith("iou: solutions/iou.py is missing") for problem in problems)


def test_self_check_on_workers_finds_what_it_finds_in_one_process_in_the_same_order(tmp_path):
    # `python -m grader check` checks katas on a worker per core: the problems must be the same, kata by kata.
    for folder in ("katas", "solutions"):
        (tmp_path / folder).mkdir()
    for name in ("activations", "conv2d"):  # sound; and a "reference" that is the stub, which the workers grade
        stub = (ROOT / "katas" / f"{name}.py").read_text()
        (tmp_path / "katas" / f"{name}.py").write_text(stub)
        (tmp_path / "solutions" / f"{name}.py").write_text(
            (ROOT / "solutions" / f"{name}.py").read_text() if name == "activations" else stub)
    (tmp_path / "katas" / "iou.py").write_text("def iou(box_a, box_b):\n    return 1.0\n")
    names = ["iou", "activations", "conv2d"]
    alone = check_catalogue(tmp_path, names=names, variants=False)
    assert [problem.split(":")[0] for problem in alone] == ["iou", "conv2d"]
    assert "solutions/iou.py is missing" in alone[0] and "the reference fails its own checks" in alone[1]
    assert check_catalogue(tmp_path, names=names, variants=False, workers=2) == alone


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="processes are listed from /proc (Linux)")
def test_ctrl_c_ends_the_self_checks_workers_with_it_and_says_interrupted():
    # As a terminal's Ctrl-C: SIGINT to the whole process group, while the workers grade.
    check = subprocess.Popen([sys.executable, "-m", "grader", "check", "conv2d", "multihead_attention", "tiny_gpt"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    time.sleep(3)
    os.killpg(check.pid, signal.SIGINT)
    out, err = check.communicate(timeout=30)
    assert check.returncode == 1 and err.strip() == "interrupted", err
    deadline = time.monotonic() + 10
    while _members_of_group(check.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _members_of_group(check.pid) == []  # no worker, no resource tracker left behind


def _members_of_group(pgid: int) -> list[int]:
    """The processes (zombies aside) of process group `pgid`."""
    members = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(pid))
    return members


def test_gradescope_results_have_the_autograders_shape():
    kata = load_kata("conv2d")
    results = json.loads(report_to_gradescope(grade(kata, LEARNERS / "conv2d" / "bug_db_mean.py"), kata))
    assert set(results) >= {"score", "max_score", "tests"}
    assert results["max_score"] == 13 and results["score"] == 10
    for test in results["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed")
    failed = [test for test in results["tests"] if test["status"] == "failed"]
    assert failed[0]["name"] == "gradient: gradient db" and "expected" in failed[0]["output"]
    assert "db averaged over the batch" in results["output"]


def test_each_gradescope_test_carries_the_diagnoses_and_the_printed_output(learner_file):
    # A student opens one test at a time: each failed one must say the known mistake, and every one what
    # their code printed.
    kata = load_kata("conv2d")
    source = (LEARNERS / "conv2d" / "bug_db_mean.py").read_text().replace(
        "def conv2d_backward(dout, cache):", "def conv2d_backward(dout, cache):\n    print('backward called')", 1)
    results = json.loads(report_to_gradescope(grade(kata, learner_file(source)), kata))
    failed = [test for test in results["tests"] if test["status"] == "failed"]
    passed = [test for test in results["tests"] if test["status"] == "passed"]
    assert failed and passed
    for test in failed:
        assert "Diagnosis: db averaged over the batch." in test["output"]
    for test in failed + passed:
        assert "Your code printed" in test["output"] and "backward called" in test["output"]
    assert "Diagnosis" not in passed[0]["output"]


def test_gradescope_points_come_from_the_spec(monkeypatch):
    kata = load_kata("conv2d")
    monkeypatch.setitem(kata.weights, "gradient db", 5.0)
    results = json.loads(report_to_gradescope(grade(kata, LEARNERS / "conv2d" / "bug_db_mean.py"), kata))
    assert results["max_score"] == 17 and results["score"] == 10
