"""Is the learner's answer a known mistake? One rule for every template.

A known mistake is given as what it computes: a buggy copy of the
reference. The learner's code makes that mistake when, on every
configuration judged, its outputs agree with the buggy ones, and on at least
one configuration the buggy outputs differ from the right ones (a "mistake"
that changes nothing on the graded inputs tells the learner nothing).
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from grader.checks.compare import same_outputs

#: (mistaken, got, right) or (mistaken, got, right, scale): one output of one configuration.
Triple = tuple


def matches(triples: Iterable[Triple]) -> bool:
    """Every got agrees with its mistaken, and some mistaken differs from its right.

    `triples` may be a generator: it is consumed only until the first
    disagreement, so the learner's calls for later configurations are not
    made for nothing. Values are judged by the contract's rule (NaN agreeing
    with NaN), at the triple's scale when it has one. A buggy copy that
    cannot even compute a configuration the learner's code answered (x @ w.T
    where the shapes do not fit) is not the learner's mistake.
    """
    telling = False
    iterator = iter(triples)
    while True:
        try:
            mistaken, got, right, *scale = next(iterator)
        except StopIteration:
            return telling
        except (ArithmeticError, IndexError, TypeError, ValueError):
            return False
        scale = scale[0] if scale else 1.0
        if not _same(mistaken, got, scale):
            return False
        telling = telling or not _same(mistaken, right, scale)


def _same(first: object, second: object, scale: float) -> bool:
    if first is None or second is None:  # no right answer: the reference refuses these inputs
        return first is second
    try:
        first, second = np.asarray(first), np.asarray(second)
    except (TypeError, ValueError):
        return False
    return first.shape == second.shape and same_outputs(first, second, scale)
