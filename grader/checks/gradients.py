"""The contract's rule for an analytic gradient, in one place.

A learner's gradient must agree with the reference's, and with central
differences of the learner's own forward (or loss). The three together tell
more than either alone:

    agrees with both                 pass
    reference yes, numerical no      the forward is wrong: where its values
                                     agree with the reference's, it is right
                                     at the graded inputs but not around
                                     them (float32, rounding, a lookup), which
                                     the contract fails; elsewhere the values
                                     row already says so
    reference no, numerical yes      the backward is faithful to a wrong forward
    neither                          the backward is wrong
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from grader.checks.compare import Mismatch, compare_arrays, format_pair
from grader.checks.failures import CheckFailed


class Numerical(NamedTuple):
    """Central differences of the learner's forward at some elements: flat `indices`, `values` in that order."""

    indices: np.ndarray
    values: np.ndarray

    @classmethod
    def everywhere(cls, values: np.ndarray) -> "Numerical":
        values = np.asarray(values, dtype=np.float64).reshape(-1)
        return cls(np.arange(values.size), values)


def judge_gradient(name: str, got: np.ndarray, expected: np.ndarray, numerical: Numerical, *,
                   forward_right: bool, label: str, scale: float, quantities=None,
                   forward: str = "forward", hint: str = "", computed_in: str = "") -> str | None:
    """A note for a pass (partial coverage), or CheckFailed saying which of the rule's halves broke.

    Args:
        name: the gradient's name in messages ("dx", "grads['W1']").
        got, expected: the learner's and the reference's gradient (same shape).
        numerical: central differences of the learner's own forward.
        forward_right: whether the learner's forward values agree with the reference's at these inputs.
        label: the configuration, heading every message.
        scale, quantities: for the agreement rule and naming a ratio (grader.checks.compare).
        forward: what the learner's forward is called ("forward", "loss").
        hint: appended where the gradient itself is wrong (a known mistake's words).
        computed_in: the dtype the learner's forward returned, when not float64.
    """
    against_reference = compare_arrays(name, expected, got, scale, quantities)
    against_numerical = _compare_at(name, numerical, got, scale)
    coverage = None if len(numerical.indices) == got.size else \
        f"checked {len(numerical.indices)} of {got.size} elements numerically (time budget)"
    if against_reference is None and against_numerical is None:
        return coverage
    around = _why_not_around(computed_in, still=not np.any(numerical.values), forward=forward)
    if against_reference is None:
        if not forward_right:
            return (f"matches the reference; the numerical gradient of your {forward} differs because your "
                    f"{forward}'s values are wrong (see its values row)")
        off = _compare_at(name, numerical, expected, scale, swapped=True)
        raise CheckFailed(
            f"{label}: {name} matches the reference, but not the numerical gradient of your {forward}: your "
            f"{forward}'s values are right at the graded inputs but not around them ({around}); {_numerical_off(off)}")
    if against_numerical is None:
        # The backward follows the forward around these inputs, so the forward is smooth there and no float32 or
        # lookup: most likely a mistake these inputs hide.
        around = _why_not_around(computed_in, still=not np.any(numerical.values), forward=forward, smooth=True)
        why = (f"whose values are right at the graded inputs but not around them ({around})" if forward_right
               else f"but your {forward} is wrong, so {name} is too")
        raise CheckFailed.from_mismatch(
            f"{label}: {name} agrees with the numerical gradient of your {forward}, {why}: "
            f"{against_reference.describe()}{hint}", against_reference)
    raise CheckFailed.from_mismatch(f"{label}: {against_reference.describe()}{hint}", against_reference)


def _numerical_off(off: Mismatch | None) -> str:
    """'at dx[0, 1] the numerical gradient is 0.5, the reference's 0.25 (3 of 24 elements off)'."""
    if off is None:
        return ""
    index = ", ".join(str(i) for i in off.index)
    reference, numerical = format_pair(off.expected, off.got)
    return (f"at {off.name}[{index}] the numerical gradient is {numerical}, the reference's {reference} "
            f"({off.n_off} of {off.n_total} elements off)")


def _why_not_around(computed_in: str, still: bool, forward: str, smooth: bool = False) -> str:
    """Why a forward can be right at the graded inputs and wrong around them, as far as can be told; `smooth`:
    the learner's gradient agrees with central differences of that forward."""
    if still:
        return (f"your {forward} does not change at all when an input moves: does it cache or memoise its "
                f"results, keyed by something that stays the same?")
    if computed_in:
        return f"it returns {computed_in}: compute in float64, whose rounding is a billion times finer"
    if smooth:
        return (f"a mistake in your {forward} that these inputs hide: a wrong factor or term that multiplies "
                f"something that is 0 here, say")
    return "does it compute in float32, round, or depend on exactly these inputs?"


def _compare_at(name: str, numerical: Numerical, got: np.ndarray, scale: float,
                swapped: bool = False) -> Mismatch | None:
    """`got` at the numerical gradient's elements against it, reporting full indices; `swapped`: the
    numerical gradient is the one under judgement ('got') and `got` (the reference's) is expected."""
    got = np.asarray(got, dtype=np.float64)
    everywhere = len(numerical.indices) == got.size
    picked = got if everywhere else got.reshape(-1)[numerical.indices]
    numbers = numerical.values.reshape(picked.shape)
    mismatch = compare_arrays(name, *((picked, numbers) if swapped else (numbers, picked)), scale)
    if mismatch is None or everywhere:
        return mismatch
    index = np.unravel_index(numerical.indices[mismatch.index[0]], got.shape)
    return Mismatch(name, tuple(int(i) for i in index), mismatch.expected, mismatch.got,
                    mismatch.n_off, mismatch.n_total)
