"""The speed line: learner vs reference time on one workload. Shown, never scored."""
from __future__ import annotations

import time
from typing import Callable

from grader.engine import Session
from grader.isolation import LearnerError
from grader.results import Speed

#: The speed line never waits longer than this for the learner's code.
SPEED_LIMIT_SECONDS = 1.0


def measure_speed(session: Session, workload: str, run_reference: Callable[[], object],
                  run_learner: Callable[[], float]) -> Speed:
    """The learner's time (best of up to 2 runs) against the reference's (warmed up, best of 3).

    `run_learner` makes the learner's calls and returns the seconds they took
    inside the learner's functions. It runs last in the session, with what is
    left of the time limit capped at SPEED_LIMIT_SECONDS.
    """
    # The learner first: BLAS worker threads of this process keep spinning for a
    # while after a product, and on two cores they would slow the child down.
    session.learner.remaining = min(session.learner.remaining, SPEED_LIMIT_SECONDS)
    try:
        seconds = run_learner()
        if seconds < SPEED_LIMIT_SECONDS / 20:  # quick: a second run, once caches are warm
            seconds = min(seconds, run_learner())
    except LearnerError as error:
        seconds = None
        note = (f"did not finish within {SPEED_LIMIT_SECONDS:g} s" if error.kind == "timeout"
                else "not measured: your code failed")
    run_reference()  # warm-up: the first run pays for fresh memory, as the learner's first did
    reference_seconds = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run_reference()
        reference_seconds = min(reference_seconds, time.perf_counter() - started)
    if seconds is None:
        return Speed(workload, None, reference_seconds, note)
    return Speed(workload, seconds, reference_seconds)
