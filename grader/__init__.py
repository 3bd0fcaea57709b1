"""Grader for deep-learning katas: run learner code in isolation, check it, report.

The folder tree is the architecture; each layer imports only from the ones
below it (checked by import-linter, `lint-imports`, in the test suite):

    cli.py        python -m grader: the commands, a table
    instructor/   new katas, the catalogue's self-check, grading folders, pytest
    practice/     the learner's loop: progress, hints, solution, reset, watch, interview
    reporting/    the scorecard, the JSON, Gradescope's results.json
    grading/      the engine (grade a file against a kata) and the catalogue
    specs/        one module per kata: its KATA, declared on a template
    authoring/    Kata, Check, KnownMistake, and the templates (layer, functions, ...)
    checks/       the session, the agreement rule, gradients, contrast, speed, results
    sandbox/      the learner's process: started, talked to, timed, stopped

Importing `grader` costs nothing beyond this file: the names below load on
first use (`grader.check("conv2d")` grades a notebook's definitions).
"""
import time as _time

#: When the grader began to load (before numpy): `python -m grader` counts its grading time from here.
STARTED = _time.perf_counter()

_LAZY = {"grade": "grader.grading.engine", "Kata": "grader.authoring.kata", "Check": "grader.authoring.kata",
         "CheckFailed": "grader.authoring.kata", "CheckResult": "grader.checks.results",
         "Report": "grader.checks.results", "check": "grader.practice.notebook"}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib  # noqa: PLC0415 -- only when a name is first used

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
