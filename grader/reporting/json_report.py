"""The contract's JSON rendering of a Report."""
from __future__ import annotations

import json

from grader.checks.results import Report


def report_to_json(report: Report) -> str:
    """One JSON object: kata, passed, score, max_score, checks [{name, group, passed, message}], and the
    two keys the contract allows beside them: diagnoses [{name, message}] and seed."""
    return json.dumps(report_to_dict(report))


def report_to_dict(report: Report) -> dict:
    """The JSON object of `report_to_json`, as a dict."""
    return {
        "kata": report.kata,
        "passed": report.passed,
        "score": report.score,
        "max_score": report.max_score,
        "checks": [{"name": check.name, "group": check.group, "passed": check.passed,
                    "message": check.message} for check in report.checks],
        "diagnoses": [{"name": name, "message": explanation} for name, explanation in report.diagnoses],
        "seed": report.seed,
    }


def reports_to_json(reports: list[Report], seed: int, notes: list[str] = ()) -> str:
    """One JSON object for several katas' reports (`all --json`): every report as report_to_json has it,
    their totals, and `notes` on the folder (a misnamed file)."""
    return json.dumps({"passed": all(report.passed for report in reports), "notes": list(notes),
                       "score": sum(report.score for report in reports),
                       "max_score": sum(report.max_score for report in reports), "seed": seed,
                       "reports": [report_to_dict(report) for report in reports]})
