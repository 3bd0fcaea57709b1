"""Grader for deep-learning katas: run learner code in isolation, check it, report.

Modules, one job each:
    cli          the `python -m grader` command line
    catalogue    which katas exist and where their files are
    kata         the declarative spec types (Kata, Check, CheckFailed)
    layer        the standard checks for forward/backward katas
    engine       grade(): run a kata's checks against a file, collect a Report
    isolation    the learner's process: fork, time limit, captured output
    child        the learner's side of that process
    wire         what crosses the pipe, decoded safely
    compare      the contract's agreement rule and mismatch descriptions
    gradcheck    central-difference numerical gradients
    results      plain result objects (CheckResult, Report, Speed)
    scorecard    rich rendering; json_report: the contract's JSON; gradescope: results.json
    speed        the speed line (timed_pass: its timing, in the learner's process)
    training_bar the live training bar and the loss sparkline
    training     the capstones' training loops (run beside the learner's code); datasets: their data
    practice     the learner's progress file; overview: the status table
    hints, reveal, stubs, watch, interview, files: the practice commands
    grade_all    `all`: every kata's file graded in one run
    scaffold     `new`: a new kata's files; selfcheck: `check`, the catalogue's honesty
    pytest_plugin  pytest --kata NAME
    specs/       one module per kata: its KATA
"""
import time as _time

#: When the grader began to load (before numpy): `python -m grader` counts its grading time from here.
STARTED = _time.perf_counter()

from grader.engine import grade  # noqa: E402 -- after STARTED, so that the clock includes these imports
from grader.kata import Check, CheckFailed, Kata
from grader.results import CheckResult, Report

__all__ = ["grade", "Kata", "Check", "CheckFailed", "CheckResult", "Report"]
