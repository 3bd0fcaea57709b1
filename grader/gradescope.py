"""Gradescope's results.json for a grading run (`--format gradescope`).

The shape Gradescope's autograder reads: a total score, and one test per
check with its own score, max_score, status, output and visibility. Points
per check come from the kata's `weights` (1 each by default).
"""
from __future__ import annotations

import json

from grader.kata import Kata
from grader.results import Report


def report_to_gradescope(report: Report, kata: Kata) -> str:
    """results.json text for `report`."""
    tests = []
    for check in report.checks:
        points = kata.weight(check.name)
        tests.append({
            "name": f"{check.group}: {check.name}",
            "score": points if check.passed else 0.0,
            "max_score": points,
            "status": "passed" if check.passed else "failed",
            "output": check.message,
            "visibility": "visible",
        })
    summary = [f"{report.kata}: {report.score}/{report.max_score} checks passed"]
    if report.problem:
        summary.append(f"Problem: {report.problem}")
    summary += [f"Diagnosis: {name}. {explanation}" for name, explanation in report.diagnoses]
    return json.dumps({
        "score": sum(test["score"] for test in tests),
        "max_score": sum(test["max_score"] for test in tests),
        "output": "\n".join(summary),
        "visibility": "visible",
        "tests": tests,
    }, indent=2)
