"""`python -m grader all`: every kata's file graded in one run, one line each.

One process for the whole catalogue: the interpreter, numpy and rich load
once, where a `python -m grader KATA` per kata would pay for them every time
(they are most of a single run's wall time). Verdicts only: no speed lines,
no diagnoses; `python -m grader KATA` shows a kata's full scorecard.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.text import Text

from grader.grading.catalogue import kata_names, learner_file, load_kata
from grader.authoring.kata import Kata
from grader.grading.engine import Gate, grade, not_graded
from grader.checks.results import Report

_STATUS_STYLE = {"passed": "green", "failing": "red", "not started": "yellow"}


def grade_all(console: Console, directory: Path | None, record: Callable[[str, Path, Report], None],
              timeout: float | None, gate: Callable[[str, Path], Gate | None], seed: int = 0,
              names: list[str] | None = None) -> bool:
    """Grade DIRECTORY/KATA.py (default: each kata's katas/KATA.py) for every kata, printing each kata's
    line as soon as it is graded; True when all pass.

    `record(kata, path, report)` keeps each run (the progress file, for the learner's own files), and
    `gate(kata, path)` is the gate grade() asks about a capstone's parts (which skips those that passed
    unchanged: for the learner's own files, the ones just graded above it). `seed`: the inputs' draw; `names`:
    the katas (default: every kata).
    """
    names = names or kata_names()
    width = max(map(len, names))
    passed = 0
    started = time.perf_counter()
    for name in names:
        path = directory / f"{name}.py" if directory is not None else learner_file(name)
        if not path.is_file():
            console.print(Text.assemble(f"{name:{width}s}  ", ("no file", "yellow"), f"  ({path})"))
            continue
        graded = time.perf_counter()
        report = grade(load_kata(name), path, timeout=timeout, extras=False, gate=gate(name, path), seed=seed)
        record(name, path, report)
        passed += report.passed
        console.print(Text.assemble(
            f"{name:{width}s}  ", (f"{report.status:11s}", _STATUS_STYLE[report.status]),
            f"  {report.score:>2d}/{report.max_score:<2d}  {time.perf_counter() - graded:5.2f} s",
            ("" if report.problem is None else f"  {report.problem}", "red")))
    console.print(Text.assemble(("\n" + f"{passed}/{len(names)} katas pass", "bold"),
                                f" ({time.perf_counter() - started:.2f} s); python -m grader KATA for a scorecard"))
    return passed == len(names)


def grade_files(directory: Path | None, names: list[str], timeout: float | None,
                gate: Callable[[str, Path], Gate | None], seed: int) -> list[tuple[Kata, Report]]:
    """Each kata of `names` graded from DIRECTORY/KATA.py (default: the learner's katas/KATA.py), for a
    machine to read: a missing file is a report that scores 0 and says so, never a kata left out."""
    graded = []
    for name in names:
        kata = load_kata(name)
        path = directory / f"{name}.py" if directory is not None else learner_file(name)
        report = (grade(kata, path, timeout=timeout, extras=True, gate=gate(name, path), seed=seed)
                  if path.is_file() else not_graded(kata, path, f"no such file: {path.name} was not handed in", seed))
        graded.append((kata, report))
    return graded
