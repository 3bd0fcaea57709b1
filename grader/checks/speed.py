"""The speed line: learner vs reference time on one workload. Shown, never scored.

The line may add at most SPEED_SHARE to a grading run: the engine sets
`session.speed_deadline` before a kata's speed function builds its
workload, and everything after (sending inputs, timing both sides) fits
before it, given workloads the reference runs in about a millisecond.
Learner code still running at its share of that time is stopped, and the
line says how many times the reference's time it took at least.
"""
from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Callable

from grader.sandbox.process import LearnerError
from grader.checks.results import Speed
from grader.sandbox.trusted.timed_pass import upstream_gradient

if TYPE_CHECKING:  # the engine calls this module's speed_deadline
    from grader.checks.session import Session

#: The speed line takes at most this fraction of the time the rest of the grading run took.
SPEED_SHARE = 0.10
#: The learner's code gets at least this long, however little is left of that share ...
LEARNER_FLOOR_SECONDS = 0.01
#: ... and never longer than this.
SPEED_LIMIT_SECONDS = 1.0
#: Seeds the dout of a timed forward + backward pass, the same for learner and reference.
DOUT_SEED = 0


def speed_deadline(grading_seconds: float) -> float:
    """The perf_counter time by which a speed line must be done, after `grading_seconds` of grading."""
    return time.perf_counter() + SPEED_SHARE * grading_seconds


def measure_speed(session: Session, workload: str, run_reference: Callable[[], object],
                  run_learner: Callable[[], float]) -> Speed:
    """The learner's time (best of up to 3 runs) against the reference's (warmed up, best of 2).

    `run_learner` makes the learner's calls and returns the seconds they took inside the learner's
    functions. The learner may use half of what is left before `session.speed_deadline` (at least
    LEARNER_FLOOR_SECONDS, at most SPEED_LIMIT_SECONDS) and is stopped there; the reference has the rest.
    """
    # The learner first: BLAS worker threads of this process keep spinning for a
    # while after a product, and on two cores they would slow the child down.
    learner = session.learner
    limit = min(SPEED_LIMIT_SECONDS, max(LEARNER_FLOOR_SECONDS, (session.speed_deadline - time.perf_counter()) / 2))
    learner.limit_time(limit)  # nothing else runs in it after the speed line
    try:
        seconds = run_learner()  # pays for fresh memory, as the reference's warm-up run does
        for _ in range(2):  # then as the reference: best of 2 more, while there is time for them
            if learner.time_left <= 2 * seconds:
                break
            seconds = min(seconds, run_learner())
    except LearnerError as error:
        seconds = None
        note = "not measured: your code failed" if error.kind != "timeout" else ""
    run_reference()  # warm-up: the first run pays for fresh memory, as the learner's first did
    reference_seconds = _seconds(run_reference)
    if time.perf_counter() + reference_seconds < session.speed_deadline:
        reference_seconds = min(reference_seconds, _seconds(run_reference))
    if seconds is not None:
        return Speed(workload, seconds, reference_seconds)
    return Speed(workload, None, reference_seconds, note or (
        f"took over {limit * 1e3:.0f} ms, more than {limit / reference_seconds:.0f}x the reference's "
        f"time (stopped there: the speed line may add only {SPEED_SHARE:.0%} to grading)"))


def time_calls(session: Session, workload: str, calls: list[tuple[str, tuple, dict]]) -> Speed:
    """measure_speed of `calls` (function name, positional arguments, keywords) made one after another."""
    return measure_speed(
        session, workload, lambda: [getattr(session.reference, name)(*args, **kw) for name, args, kw in calls],
        lambda: sum(session.call(name, *args, send=(), watch_inputs=False, **kw).seconds for name, args, kw in calls))


def learner_pass(session: Session, forward: str, backward: str, *args, **kwargs) -> float:
    """Seconds of the learner's forward then its backward, back to back in the learner's process
    (`args` may hold Refs to inputs stored there with `session.learner.put`)."""
    seconds = session.learner.run_in_child("grader.sandbox.trusted.timed_pass", "forward_backward", forward, backward,
                                           DOUT_SEED, *args, **kwargs).value
    if type(seconds) is not float or not math.isfinite(seconds) or seconds < 0:  # noqa: E721 -- exactly a float
        raise LearnerError("tampered", "the timing of your code came back as something other than seconds")
    return seconds


def reference_pass(reference: object, forward: str, backward: str, *args, **kwargs) -> Callable[[], None]:
    """One run of the reference's forward then backward, with the dout that `learner_pass` draws: on the
    first run (the warm-up), so that timed runs are the two passes only."""
    douts: list = []

    def run() -> None:
        out, cache = getattr(reference, forward)(*args, **kwargs)
        if not douts:
            douts.append(upstream_gradient(DOUT_SEED, out.shape))
        getattr(reference, backward)(douts[0], cache)
    return run


def _seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started
