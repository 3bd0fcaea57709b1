"""Live progress of a long learner call (training), drawn on stderr.

stdout carries the scorecard or the JSON and nothing else, so the bar goes
to stderr, and only when stderr is a terminal: in a pipe, a log or a test it
stays silent.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

import numpy as np


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


def sparkline(values: list[float]) -> str:
    """One block character per value, from the lowest (▁) to the highest (█)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    blocks = "▁▂▃▄▅▆▇█"
    if high == low:
        return blocks[0] * len(values)
    return "".join(blocks[int((value - low) / (high - low) * (len(blocks) - 1))] for value in values)


def curve(losses: list[float], unit: str = "step", points: int = 24) -> str:
    """'2.3 ▇▆▄▂▁ 0.012': the loss curve at a glance (means of equal stretches), its first and last values."""
    finite = [value for value in losses if np.isfinite(value)]
    if len(finite) < len(losses):
        return f"not finite from {unit} {next(i for i, v in enumerate(losses) if not np.isfinite(v)) + 1} on"
    if not finite:
        return "none reported"
    stretch = -(-len(finite) // points)
    means = [float(np.mean(finite[i:i + stretch])) for i in range(0, len(finite), stretch)]
    return f"{finite[0]:.3g} {sparkline(means)} {finite[-1]:.3g}"
