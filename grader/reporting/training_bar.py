"""Live progress of a capstone's training run, drawn on stderr.

stdout carries the scorecard or the JSON and nothing else, so the bar goes
to stderr, and only when stderr is a terminal: in a pipe, a log or a test it
stays silent. The command line hands `training_bar` to the engine as the
session's progress (see grader.checks.progress).
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

from grader.checks.progress import Progress


class TrainingBar(Progress):
    """A progress bar with the current loss; `update` takes the learner process's reports,
    {"step": int, "steps": int, "loss": float} (other keys ignored)."""

    def __init__(self, progress, task):
        super().__init__()
        self._progress = progress
        self._task = task

    def update(self, report: dict) -> None:
        super().update(report)
        loss = report.get("loss")
        if isinstance(report.get("step"), int):
            total = report.get("steps") if isinstance(report.get("steps"), int) else None
            self._progress.update(self._task, completed=report["step"], total=total,
                                  loss=f"{loss:.4g}" if isinstance(loss, (int, float)) else "?")


@contextmanager
def training_bar(title: str) -> Iterator[Progress]:
    """A Progress that draws on stderr while the block runs (if stderr is a terminal)."""
    if not sys.stderr.isatty():
        yield Progress()
        return
    from rich.console import Console  # noqa: PLC0415 -- only when there is something to draw
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn, TimeElapsedColumn

    bars = Bars(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(), console=Console(stderr=True),
                transient=True)
    with bars:
        yield TrainingBar(bars, bars.add_task(title, total=None, loss="?"))
