"""Gradescope's results.json for a grading run (`--format gradescope`).

The shape Gradescope's autograder reads: a total score, and one test per
check with its own score, max_score, status, output and visibility. Points
per check come from the kata's `weights` (1 each by default), visibility from
its `visibility` ("visible" by default; hidden cases until the due date). A student
opens one test at a time, so each test's text carries what they need: the
check's message, the known mistakes their code matches (on a failed test)
and what their code printed.
"""
from __future__ import annotations

import json

from grader.authoring.kata import Kata
from grader.checks.results import Report

#: How much of what the learner's code printed goes into each test's text.
OUTPUT_CHARS = 1500


def report_to_gradescope(report: Report, kata: Kata) -> str:
    """results.json text for `report`."""
    return reports_to_gradescope([(kata, report)])


def reports_to_gradescope(graded: list[tuple[Kata, Report]], notes: list[str] = ()) -> str:
    """results.json text for several katas' reports (`all --format gradescope`: a whole assignment in one
    submission); a test's name starts with its kata's when there are several. `notes`: what else the
    submission held (a misnamed file), said first."""
    tests, summary = [], list(notes)
    for kata, report in graded:
        kata_tests, kata_summary = _tests(report, kata)
        prefix = f"{kata.name}: " if len(graded) > 1 else ""
        tests += [{**test, "name": prefix + test["name"]} for test in kata_tests]
        summary += kata_summary
    if graded:
        summary.append(f"seed {graded[0][1].seed}")
    return json.dumps({
        "score": sum(test["score"] for test in tests),
        "max_score": sum(test["max_score"] for test in tests),
        "output": "\n".join(summary),
        "visibility": "visible",
        "tests": tests,
    }, indent=2)


def _tests(report: Report, kata: Kata) -> tuple[list[dict], list[str]]:
    """The tests of one kata's report, and its lines of the summary."""
    diagnoses = "".join(f"\n\nDiagnosis: {name}. {explanation}" for name, explanation in report.diagnoses)
    printed = _printed(report)
    tests = []
    for check in report.checks:
        points = kata.weight(check.name)
        tests.append({
            "name": f"{check.group}: {check.name}",
            "score": points if check.passed else 0.0,
            "max_score": points,
            "status": "passed" if check.passed else "failed",
            "output": check.message + ("" if check.passed else diagnoses) + printed,
            "visibility": kata.visibility.get(check.name, "visible"),
        })
    summary = [f"{report.kata}: {report.score}/{report.max_score} checks passed"]
    if report.problem:
        summary.append(f"Problem: {report.problem}")
    summary += [f"Diagnosis: {name}. {explanation}" for name, explanation in report.diagnoses]
    return tests, summary


def _printed(report: Report) -> str:
    """'\n\nYour code printed (N bytes): ...', cut to OUTPUT_CHARS, or '' when it printed nothing."""
    if not report.output_bytes:
        return ""
    text = report.output  # printable already (checks.results)
    if len(text) > OUTPUT_CHARS:
        text = text[:OUTPUT_CHARS] + f"\n[... {len(text) - OUTPUT_CHARS} more characters ...]"
    return f"\n\nYour code printed ({report.output_bytes} bytes):\n{text}"
