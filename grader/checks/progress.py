"""Progress of a long learner call (a capstone's training run), and its loss curve in words.

Who shows the progress is the caller's business: a check asks the session
for a Progress (`session.progress(title)`), which by default only keeps the
losses; the command line hands the engine one that draws a live bar
(grader.reporting.training_bar).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import numpy as np


class Progress:
    """Takes the learner process's reports ({"step", "steps", "loss"}) and keeps the losses."""

    def __init__(self) -> None:
        self.losses: list[float] = []

    def update(self, report: dict) -> None:
        loss = report.get("loss")
        if isinstance(loss, (int, float)) and not isinstance(loss, bool):
            self.losses.append(float(loss))


@contextmanager
def quiet_progress(title: str) -> Iterator[Progress]:
    """A Progress that shows nothing (the default: tests, pipes, the JSON)."""
    yield Progress()


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
