"""Plain result objects: what a grading run found. The scorecard and the JSON render these."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

#: Characters that can move the cursor, recolour or reorder what a terminal shows: C0 and C1 controls (but
#: newline and tab), DEL, zero-width marks and bidirectional overrides.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

#: Check groups, in the order the scorecard shows them.
GROUPS = ("shape", "value", "gradient", "edge", "behaviour")

#: How a check ended. Only "pass" counts toward the score.
OUTCOMES = ("pass", "fail", "error", "not started", "not run")


def printable(text: str) -> str:
    """`text` with every control character shown as its escape ("\\x1b"): text from learner code (messages,
    type names, prints) reaches a report only this way, so it cannot draw a fake PASSED on a terminal."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


@dataclass(frozen=True)
class CheckResult:
    """One row of the scorecard.

    `outcome` is one of OUTCOMES: "fail" is a wrong answer, "error" means the
    learner's code raised or returned the wrong kind of thing, "not started"
    a NotImplementedError, "not run" that an earlier failure (a hang, a
    crash) stopped the learner's process or another row must pass first.
    """

    name: str            # what is checked, e.g. "gradient dx"
    group: str           # one of GROUPS
    outcome: str
    message: str = ""    # why it failed, or a note on a pass (e.g. partial coverage)
    error_map: str = ""  # a text grid of where an image-shaped array is off, or ""
    map_title: str = ""  # what the grid shows, e.g. "dx[0, 1, :, :]"

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES or self.group not in GROUPS:
            raise ValueError(f"check {self.name!r}: outcome {self.outcome!r} / group {self.group!r} unknown")
        object.__setattr__(self, "message", printable(self.message))

    @property
    def passed(self) -> bool:
        return self.outcome == "pass"


class Speed(NamedTuple):
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
    """Everything one grading run found. `problem` is what stopped the learner's file as a whole
    (syntax error, crash at import, time limit), or None."""

    kata: str
    file: str                                     # the graded file, as given
    checks: tuple[CheckResult, ...]               # in scorecard order
    problem: str | None = None
    output: str = ""                              # what the learner's code printed (head and tail) ...
    output_bytes: int = 0                         # ... and its size
    speed: Speed | None = None                    # None when not measured
    diagnoses: tuple[tuple[str, str], ...] = ()   # known mistakes matched: (name, one-sentence explanation)
    seed: int = 0                                 # mixed into every input draw (0 when practising)
    protections_off: str = ""                     # what the learner's code could reach unconfined ('' if none)

    def __post_init__(self) -> None:
        object.__setattr__(self, "output", printable(self.output))
        if self.problem is not None:
            object.__setattr__(self, "problem", printable(self.problem))

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
