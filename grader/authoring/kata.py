"""What a kata is, declaratively: its functions, its checks, its speed trial.

A kata's spec lives in `grader/specs/<name>.py` as a module-level `KATA`.
Checks are small functions of a `Session` that return an optional note on a
pass and raise `CheckFailed` (a wrong answer) or let `LearnerError` through
(the learner's code raised, hung or died); the engine turns either into a row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from grader.checks.failures import CheckFailed, NotRun  # noqa: F401 -- re-exported for kata authors
from grader.checks.results import GROUPS, Speed
from grader.checks.session import Session
from grader.workspace import references_package


@dataclass(frozen=True)
class Check:
    """One row of the scorecard: a named, grouped test of the learner's module.

    `start`, when given, begins the row's slow work before the first row
    runs, where it can go on beside them (a training run on the twin
    process); `run` then finishes it. `needs` names rows that must pass for
    this one to mean anything (a forward of the wrong shape has no values to
    compare): when one does not, this row is skipped with a pointer to it, so
    that one root problem is said once. A row with `runs_last` runs after
    every other row (its place on the scorecard is unchanged): "inputs not
    modified" judges every call the other rows made, and a capstone's
    numerical gradients wait there for the twin to finish its training run
    and share them.
    """

    name: str
    group: str
    run: Callable[[Session], str | None]
    start: Callable[[Session], None] | None = None
    needs: tuple[str, ...] = ()
    runs_last: bool = False

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"check {self.name!r}: group must be one of {GROUPS}, not {self.group!r}")


@dataclass(frozen=True)
class KnownMistake:
    """A mistake learners really make, recognised from what their code returns.

    `detect(session)` runs after the checks (only when one failed) and says
    whether the learner's code behaves like the mistake; the scorecard then
    names it in one sentence (`explanation`, with a pointer to the fix).
    Declared next to the kata, in its spec; `grader.authoring.layer.layer_mistake`
    builds `detect` from a buggy copy of the reference. A `fallback` mistake
    names a symptom ("a negative IoU") rather than one exact formula: it is
    named only when no exact mistake matched, which would say more.
    """

    name: str
    explanation: str
    detect: Callable[[Session], bool]
    fallback: bool = False


def either_mistake(name: str, explanation: str, *mistakes: KnownMistake) -> KnownMistake:
    """A known mistake that shows in several forms (padding on one side, whichever side): any one matches."""
    return KnownMistake(name, explanation, lambda session: any(mistake.detect(session) for mistake in mistakes))


#: Gradescope's visibilities of a test.
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


@dataclass(frozen=True)
class Kata:
    """A kata: a stub in katas/, a reference in solutions/, and the checks.

    Attributes:
        name: the kata's name; also the file name in katas/ and solutions/.
        title: one line for listings.
        functions: the names the learner's module must define.
        checks: the scorecard's rows, in order.
        speed: measures learner vs reference time (shown, never scored).
        reference: import name of the reference module, when not solutions.<name>.
        depends_on: katas this one builds on; those the graded file imports from
            katas/ must pass before its own checks mean anything.
        timeout: the default time limit for the learner's code, when not 10 s.
        hints: tiered hints, shown one at a time: a nudge, then the approach,
            then the key formula.
        mistakes: known mistakes the scorecard can diagnose.
        weights: points per check name for exported scores (default 1 each).
        visibility: Gradescope's visibility per check name (default "visible"): "hidden", "after_due_date"
            or "after_published" keep a check's result from students until then (hidden cases).
    """

    name: str
    title: str
    functions: tuple[str, ...]
    checks: tuple[Check, ...]
    speed: Callable[[Session], Speed] | None = None
    reference: str | None = None
    depends_on: tuple[str, ...] = ()
    timeout: float | None = None
    hints: tuple[str, ...] = ()
    mistakes: tuple[KnownMistake, ...] = ()
    weights: dict[str, float] = field(default_factory=dict)
    visibility: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = {check.name for check in self.checks}
        for what, table in (("weights", self.weights), ("visibility", self.visibility)):
            if unknown := sorted(set(table) - names):
                raise ValueError(f"kata {self.name}: {what} names checks it does not have: {unknown}")
        if bad := sorted({value for value in self.visibility.values() if value not in VISIBILITIES}):
            raise ValueError(f"kata {self.name}: visibility must be one of {', '.join(VISIBILITIES)}, not {bad}")

    def weight(self, check_name: str) -> float:
        """A check's points in exported scores (Gradescope); 1 unless `weights` says otherwise."""
        return self.weights.get(check_name, 1.0)

    @property
    def reference_module(self) -> str:
        """The reference's import name: `reference`, or <the references' package>.<name> by default
        (solutions.<name> in a checkout; grader.workspace.references_package)."""
        return self.reference or f"{references_package()}.{self.name}"
