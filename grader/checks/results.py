"""Plain result objects: what a grading run found. The scorecard and the JSON render these."""
from __future__ import annotations

from dataclasses import dataclass

#: Check groups, in the order the scorecard shows them.
GROUPS = ("shape", "value", "gradient", "edge", "behaviour")

#: How a check ended. Only "pass" counts toward the score.
OUTCOMES = ("pass", "fail", "error", "not started", "not run")


@dataclass(frozen=True)
class CheckResult:
    """One row of the scorecard.

    Attributes:
        name: what is checked, e.g. "gradient dx".
        group: one of GROUPS.
        outcome: one of OUTCOMES: "fail" is a wrong answer, "error" means the
            learner's code raised or returned the wrong kind of thing,
            "not started" a NotImplementedError, "not run" that an earlier
            failure (a hang, a crash) stopped the learner's process.
        message: why it failed, or a note on a pass (e.g. partial coverage).
        error_map: a text grid of where an image-shaped array is off, or "".
        map_title: what the grid shows, e.g. "dx[0, 1, :, :]".
    """

    name: str
    group: str
    outcome: str
    message: str = ""
    error_map: str = ""
    map_title: str = ""

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES or self.group not in GROUPS:
            raise ValueError(f"check {self.name!r}: outcome {self.outcome!r} / group {self.group!r} unknown")

    @property
    def passed(self) -> bool:
        return self.outcome == "pass"


@dataclass(frozen=True)
class Speed:
    """Learner vs reference time on one workload; shown, never scored."""

    workload: str
    learner_seconds: float | None   # None: not measured (see note)
    reference_seconds: float
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.learner_seconds is None or self.reference_seconds <= 0:
            return None
        return self.learner_seconds / self.reference_seconds


@dataclass(frozen=True)
class Report:
    """Everything one grading run found.

    Attributes:
        kata: the kata's name.
        file: the graded file, as given.
        checks: one CheckResult per check, in scorecard order.
        problem: what stopped the learner's file as a whole (syntax error,
            crash at import, time limit), or None.
        output: what the learner's code printed (head and tail) and its size.
        speed: the speed line, or None when not measured.
        diagnoses: known mistakes the learner's code matches.
        seed: the seed mixed into every input draw (0 when practising).
    """

    kata: str
    file: str
    checks: tuple[CheckResult, ...]
    problem: str | None = None
    output: str = ""
    output_bytes: int = 0
    speed: Speed | None = None
    diagnoses: tuple[tuple[str, str], ...] = ()   # (known mistake, one-sentence explanation)
    seed: int = 0

    @property
    def score(self) -> int:
        return sum(check.passed for check in self.checks)

    @property
    def max_score(self) -> int:
        return len(self.checks)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def status(self) -> str:
        """'passed', 'not started' (every check hit NotImplementedError) or 'failing'."""
        if self.passed:
            return "passed"
        if self.checks and all(check.outcome == "not started" for check in self.checks):
            return "not started"
        return "failing"
