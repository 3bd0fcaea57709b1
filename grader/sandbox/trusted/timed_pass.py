"""Trusted grader code the speed line runs in the learner's process (see LearnerProcess.run_in_child).

A forward pass and its backward pass are timed back to back, in one request,
as the reference's are timed in the grader. Two separate requests would each
start on caches the round trip through the grader has cooled: the same code
read up to twice as slow as the reference. What comes back is as untrusted
as any reply from the child; it only feeds the unscored speed line.
"""
from __future__ import annotations

from time import perf_counter as _clock  # bound in the grader, before the learner's file can patch `time`
from types import ModuleType

import numpy as np


def forward_backward(learner: ModuleType, forward: str, backward: str, seed: int, *args: object,
                     report: object = None, **kwargs: object) -> float:
    """Seconds spent in `learner.forward(*args, **kwargs)` and then in `learner.backward(dout, cache)`, with
    dout drawn from N(0, 1) with `seed` in the shape of the forward's output (outside the timing), as
    `upstream_gradient` draws it for the reference."""
    started = _clock()
    out, cache = getattr(learner, forward)(*args, **kwargs)
    seconds = _clock() - started
    dout = upstream_gradient(seed, np.shape(out))
    started = _clock()
    getattr(learner, backward)(dout, cache)
    return seconds + _clock() - started


def upstream_gradient(seed: int, shape: tuple[int, ...]) -> np.ndarray:
    """The dout of a timed pass: N(0, 1) draws, the same on both sides for the same seed and shape."""
    return np.random.default_rng(seed).standard_normal(shape)
