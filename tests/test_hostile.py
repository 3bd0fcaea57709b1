"""Learner files that misbehave: whatever they do, the grader ends with an honest verdict.

Each runs through the real command line with --json: exit status 1, exactly
one JSON object on stdout (run_json asserts it), no traceback of the
grader's own, and a message that says what happened and where.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, failed_checks, pristine_root, run_cli, run_json
from grader.sandbox.confine import LEARNER_UID_BASE, can_confine
from grader.sandbox.limits import FILE_MB, MEMORY_MB

#: Every verdict here holds in both start modes of the learner's processes (fork and spawn).
pytestmark = pytest.mark.usefixtures("start_mode")

HOSTILE = Path(__file__).resolve().parent / "hostile"


def _grade_hostile(name: str, timeout: float = 2.0):
    result, report = run_json("conv2d", "--file", str(HOSTILE / f"{name}.py"), "--timeout", str(timeout))
    assert result.returncode == 1, result.stderr
    assert report["passed"] is False and report["kata"] == "conv2d"
    assert "Traceback" not in result.stderr
    return result, report


def _all_messages(report) -> str:
    return "\n".join(check["message"] for check in report["checks"])


@pytest.mark.parametrize("name, expected", [
    ("raises", ["conv2d_forward raised KeyError: 'b'", "raises.py line 5"]),
    ("sys_exit", ["conv2d_forward called sys.exit(0)", "sys_exit.py line 5"]),
    ("sys_exit_at_import", ["importing your file called sys.exit(0)", "sys_exit_at_import.py line 3"]),
    ("os_exit", ["exited with status 0", "in conv2d_forward"]),
    ("kills_itself", ["killed by signal SIGKILL", "in conv2d_forward"]),
    ("syntax_error", ["SyntaxError", "syntax_error.py line 5"]),
    ("lacks_backward", ["your file has no function named conv2d_backward"]),
    ("returns_none", ["conv2d_forward must return a tuple (out, cache); it returned None"]),
    ("wrong_tuple", ["conv2d_forward must return a tuple (out, cache); it returned a tuple of 3"]),
    ("produces_nan", ["got nan"]),
])
def test_misbehaviour_is_named_with_its_place(name, expected):
    _, report = _grade_hostile(name)
    messages = _all_messages(report)
    for text in expected:
        assert text in messages, f"{text!r} not in:\n{messages}"


def test_lacking_a_function_still_grades_the_other():
    _, report = _grade_hostile("lacks_backward")
    assert "forward values" not in failed_checks(report)


def test_a_hang_is_stopped_at_the_time_limit_and_located():
    started = time.monotonic()
    _, report = _grade_hostile("hangs", timeout=1.0)
    assert time.monotonic() - started < 6
    messages = _all_messages(report)
    assert "timed out: your code ran past the 1 s limit in conv2d_forward" in messages
    assert "hangs.py line 3" in messages or "hangs.py line 2" in messages
    assert all(not check["passed"] for check in report["checks"])


def test_a_hang_at_import_is_stopped():
    _, report = _grade_hostile("hangs_at_import", timeout=1.0)
    assert "timed out: your code ran past the 1 s limit while importing your file (hangs_at_import.py line 3" \
        in _all_messages(report)


def test_megabytes_of_output_stay_off_the_json_and_are_cut_in_the_scorecard():
    result, report = _grade_hostile("prints_megabytes")
    assert "printed by your code" in result.stderr
    scorecard = run_cli("conv2d", "--file", str(HOSTILE / "prints_megabytes.py"))
    assert scorecard.returncode == 1
    assert len(scorecard.stdout) < 40_000
    assert "bytes not shown" in scorecard.stdout


def test_a_fake_report_printed_by_the_learner_cannot_pass_for_the_grader():
    _, report = _grade_hostile("prints_fake_report")
    assert report["max_score"] == 13 and report["score"] < 13
    scorecard = run_cli("conv2d", "--file", str(HOSTILE / "prints_fake_report.py"))
    lines = scorecard.stdout.splitlines()
    fakes = [line for line in lines if "Score 13/13" in line]
    assert fakes and all(line.startswith("|") for line in fakes), "learner output must sit inside its panel"
    assert "\x1b" not in scorecard.stdout
    assert "printed by your code" in scorecard.stdout


@pytest.mark.parametrize("name", ["patches_numpy", "patches_grader"])
def test_patching_modules_in_the_learner_process_changes_nothing_here(name):
    _, report = _grade_hostile(name)
    failed = failed_checks(report)
    assert {"forward output shape", "forward values", "gradient dx"} <= set(failed)


def test_a_correct_file_that_prints_and_uses_the_global_rng_passes():
    result, report = run_json("conv2d", "--file", str(HOSTILE / "correct_but_chatty.py"))
    assert result.returncode == 0, failed_checks(report)
    assert report["passed"] is True and report["score"] == report["max_score"]
    assert "loading my conv2d" in result.stderr


def test_escape_sequences_from_learner_code_never_reach_the_scorecard_or_the_json():
    escape = "\x1b"
    scorecard = run_cli("conv2d", "--file", str(HOSTILE / "draws_fake_passed.py"))
    assert scorecard.returncode == 1 and escape not in scorecard.stdout + scorecard.stderr
    assert "\\x1b[1;32mScore 13/13  PASSED" in scorecard.stdout  # shown as text, not drawn
    result, report = _grade_hostile("draws_fake_passed")
    assert escape not in result.stderr and escape not in _all_messages(report)
    gradescope = run_cli("conv2d", "--file", str(HOSTILE / "draws_fake_passed.py"), "--format", "gradescope")
    assert escape not in gradescope.stdout and "\\u001b" not in gradescope.stdout


def test_the_reference_is_nowhere_in_the_learners_process():
    # Not in sys.modules, not up the stack it started in, not among the objects the garbage collector knows:
    # the learner's process never imported it (it comes from a clean interpreter, in fork and spawn mode).
    _, report = _grade_hostile("finds_reference")
    assert not any(check["passed"] for check in report["checks"])
    assert "no reference in this process" in _all_messages(report)


def test_a_daemon_that_outlives_its_run_is_ended_with_it():
    result, _ = _grade_hostile("leaves_a_daemon")
    pid = int(re.search(r"daemon pid (\d+)", result.stderr).group(1))  # what it printed, shown on stderr
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid), "the learner's daemon is still running after the grader exited"


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, killed and not yet reaped by its new parent, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_memory_past_the_limit_is_a_clear_row_not_a_swapping_machine():
    started = time.monotonic()
    _, report = _grade_hostile("hogs_memory", timeout=10.0)
    assert time.monotonic() - started < 8
    messages = _all_messages(report)
    assert f"conv2d_forward used more than {MEMORY_MB} MB of memory, the limit for your code" in messages
    assert "hogs_memory.py line 9" in messages


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a process tree's memory is counted on Linux")
def test_processes_that_take_memory_together_are_stopped_together():
    # Three children of 700 MB each: every one under the one-process limit, the tree far over it.
    started = time.monotonic()
    _, report = _grade_hostile("hogs_memory_in_processes", timeout=10.0)
    assert time.monotonic() - started < 8, "the tree was stopped by the time limit, not by its memory limit"
    assert (f"your code used more than {MEMORY_MB} MB of memory, the limit for your code, counting every process "
            f"it started, in conv2d_forward") in _all_messages(report)


def test_the_grader_leaves_no_jail_behind(tmp_path):
    # Nor, where jails are made (root), those of a grader killed before its clean-up (a process that has ended).
    if can_confine():
        ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                               text=True)
        (tmp_path / f"grader-jail-{int(ended.stdout)}-left").mkdir()
    result = run_cli("conv2d", "--file", str(HOSTILE / "raises.py"), env={"TMPDIR": str(tmp_path)})
    assert result.returncode == 1
    deadline = time.monotonic() + 2  # the zygote removes its own as the grader leaves
    while list(tmp_path.glob("grader-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not list(tmp_path.glob("grader-*")), "a jail directory outlived the grader"


def test_a_file_past_the_size_limit_cannot_be_written(tmp_path, monkeypatch):
    monkeypatch.setenv("HOSTILE_FILE", str(tmp_path / "big"))
    _, report = _grade_hostile("fills_the_disk")
    if can_confine():  # confined (root): no file of the machine can be opened at all
        assert "conv2d_forward raised PermissionError" in _all_messages(report)
        assert not (tmp_path / "big").exists()
    else:
        assert "conv2d_forward raised OSError: [Errno 27] File too large" in _all_messages(report)
        assert (tmp_path / "big").stat().st_size <= FILE_MB * 2**20


#: The attacks on the checkout run in a copy of it: they are refused where the grader confines learner code.
confined_only = pytest.mark.skipif(not can_confine(), reason="learner code is confined only where the grader "
                                                              "runs as root (its protections are off here)")


def _copy_of_the_checkout(tmp_path) -> Path:
    copy = tmp_path / "checkout"
    for folder in ("grader", "katas", "solutions"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@confined_only
@pytest.mark.parametrize("name, says", [
    ("imports_reference", "importing your file raised"),
    ("execs_reference", "could not read the reference"),
])
def test_the_references_cannot_be_reached_for_full_marks(tmp_path, name, says):
    copy = _copy_of_the_checkout(tmp_path)
    result, report = run_json("conv2d", "--file", str(HOSTILE / f"{name}.py"), cwd=copy,
                              env={"PYTHONPATH": str(copy)})
    assert result.returncode == 1 and report["score"] == 0
    assert says in _all_messages(report)


@confined_only
def test_an_installed_package_out_of_reach_of_confined_code_is_named_with_the_reason():
    _, report = _grade_hostile("imports_an_installed_package")
    messages = _all_messages(report)
    assert "No module named 'rich' in the sandbox" in messages and "confines your code" in messages
    assert "imports_an_installed_package.py line 2" in messages


@confined_only
def test_the_grader_and_the_checkout_are_out_of_reach(tmp_path):
    copy = _copy_of_the_checkout(tmp_path)
    before = {path: path.read_bytes() for path in copy.rglob("*.py")}
    result, report = run_json("conv2d", "--file", str(HOSTILE / "attacks_the_grader.py"), cwd=copy,
                              env={"PYTHONPATH": str(copy)})
    assert result.returncode == 1 and report["score"] == 0  # the grader ended, with its report
    messages = _all_messages(report)
    for attempt in ("kill", "plant", "write", "setpgid", "memory", "limits"):
        assert f"{attempt} refused" in messages, messages
    assert {path: path.read_bytes() for path in copy.rglob("*.py")} == before


def test_a_fifo_in_place_of_the_progress_file_does_not_hang_the_grader(tmp_path):
    fifo = tmp_path / "progress.json"
    os.mkfifo(fifo)  # opened for reading, it would wait for a writer forever
    result = run_cli("conv2d", cwd=pristine_root(), env={"GRADER_PROGRESS": str(fifo)}, timeout=20)
    assert result.returncode == 1 and "not a regular file" in result.stderr  # said once, and carried on
    assert "NOT STARTED" in result.stdout or "not started" in result.stdout


@pytest.mark.parametrize("output", ["--json", "--format gradescope"])
def test_ctrl_c_is_interrupted_exit_1_and_still_the_report_asked_for(output):
    grader = subprocess.Popen([sys.executable, "-m", "grader", "conv2d", "--file", str(HOSTILE / "hangs.py"),
                               "--timeout", "20", *output.split()], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # well into the hang
    grader.send_signal(signal.SIGINT)  # as Ctrl-C does
    out, err = grader.communicate(timeout=20)
    assert grader.returncode == 1 and "Traceback" not in err
    report = json.loads(out)  # exactly one JSON object
    assert report["score"] == 0
    assert "interrupted (Ctrl-C) before the grading finished" in json.dumps(report)


@pytest.mark.parametrize("delay", [0.15, 0.3, 0.6])
def test_ctrl_c_at_any_moment_of_the_start_still_gives_the_json(delay):
    # Before the engine grades (imports, the kata's spec, the learner's process starting), as well as during.
    grader = subprocess.Popen([sys.executable, "-m", "grader", "conv2d", "--file", str(HOSTILE / "hangs.py"),
                               "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    grader.send_signal(signal.SIGINT)
    out, err = grader.communicate(timeout=20)
    assert grader.returncode == 1 and "Traceback" not in err
    report = json.loads(out)  # exactly one JSON object
    assert report["score"] == 0 and "interrupted (Ctrl-C)" in json.dumps(report)


@confined_only
def test_a_fork_bomb_is_stopped_by_the_process_limit_and_ended_with_its_run():
    started = time.monotonic()
    _, report = _grade_hostile("forks_without_end", timeout=10.0)
    assert time.monotonic() - started < 15
    assert re.search(r"stopped after \d+ processes: BlockingIOError", _all_messages(report))
    # Its ~64 processes are gone; a few may be other tests' learner processes, running beside this one.
    assert len([pid for pid in os.listdir("/proc") if pid.isdigit() and _learner_uid(pid)]) < 16


def _learner_uid(pid: str) -> bool:
    """Whether process `pid` runs as one of the learner's users (grader.sandbox.confine)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            uid = int(next(line for line in status if line.startswith("Uid:")).split()[1])
    except (OSError, StopIteration, ValueError):
        return False
    return LEARNER_UID_BASE <= uid < LEARNER_UID_BASE + 4000 and _alive(int(pid))
