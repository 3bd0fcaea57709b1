"""Live progress of a long learner call (training), drawn on stderr.

stdout carries the scorecard or the JSON and nothing else, so the bar goes
to stderr, and only when stderr is a terminal: in a pipe, a log or a test it
stays silent.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator


class TrainingBar:
    """A progress bar with the current loss; `update` takes the child's reports."""

    def __init__(self, progress=None, task=None):
        self._progress = progress
        self._task = task
        self.losses: list[float] = []

    def update(self, report: dict) -> None:
        """report: {"step": int, "steps": int, "loss": float} (other keys ignored)."""
        loss = report.get("loss")
        if isinstance(loss, (int, float)):
            self.losses.append(float(loss))
        if self._progress is not None and isinstance(report.get("step"), int):
            total = report.get("steps") if isinstance(report.get("steps"), int) else None
            self._progress.update(self._task, completed=report["step"], total=total,
                                  loss=f"{loss:.4g}" if isinstance(loss, (int, float)) else "?")


@contextmanager
def training_bar(title: str) -> Iterator[TrainingBar]:
    """A TrainingBar that draws on stderr while the block runs (if stderr is a terminal)."""
    if not sys.stderr.isatty():
        yield TrainingBar()
        return
    from rich.console import Console  # noqa: PLC0415 -- only when there is something to draw
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)
    with progress:
        yield TrainingBar(progress, progress.add_task(title, total=None, loss="?"))


def sparkline(values: list[float], width: int = 24) -> str:
    """The shape of a curve in one line of block characters, e.g. '█▇▅▃▂▁▁'."""
    if not values:
        return ""
    step = max(1, len(values) // width)
    points = [min(values[i:i + step]) for i in range(0, len(values), step)][:width]
    low, high = min(points), max(points)
    blocks = "▁▂▃▄▅▆▇█"
    if high == low:
        return blocks[0] * len(points)
    return "".join(blocks[int((p - low) / (high - low) * (len(blocks) - 1))] for p in points)
