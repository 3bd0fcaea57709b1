"""Central-difference numerical gradients.

The grader never runs learner code itself: the learner's process evaluates
the forward at ``x + h*e_i`` and ``x - h*e_i`` and sends the outputs back, and
the arithmetic below turns them into gradients here, where learner code
cannot reach it. `numerical_gradient` does both halves in one process, for
trusted functions (tests, references).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

#: Step for float64 central differences: truncation error ~h**2, round-off ~1e-16/h.
STEP = 1e-5


def perturbed_copies(x: np.ndarray, index: int, h: float = STEP) -> tuple[np.ndarray, np.ndarray]:
    """Copies of `x` with flat element `index` moved by +h and by -h."""
    plus = np.array(x, dtype=np.float64, copy=True)
    minus = plus.copy()
    plus.reshape(-1)[index] += h
    minus.reshape(-1)[index] -= h
    return plus, minus


def central_difference(outputs: np.ndarray, dout: np.ndarray, h: float = STEP) -> np.ndarray:
    """Numerical gradient entries from perturbed outputs.

    Args:
        outputs: shape (K, 2, *out_shape); `outputs[k, 0]` is the forward at
            ``x + h*e_k``, `outputs[k, 1]` at ``x - h*e_k``.
        dout: upstream gradient, shape out_shape.
    Returns:
        shape (K,): d(sum(out * dout))/dx at each of the K perturbed elements.
    """
    difference = (outputs[:, 0] - outputs[:, 1]).reshape(len(outputs), -1)
    return difference @ np.asarray(dout, dtype=np.float64).reshape(-1) / (2 * h)


def numerical_gradient(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                       dout: np.ndarray, h: float = STEP) -> np.ndarray:
    """Gradient of ``sum(f(x) * dout)`` with respect to every element of `x`; shape of x."""
    outputs = []
    for index in range(x.size):
        plus, minus = perturbed_copies(x, index, h)
        outputs.append((np.asarray(f(plus), dtype=np.float64), np.asarray(f(minus), dtype=np.float64)))
    stacked = np.array(outputs).reshape((x.size, 2) + np.shape(dout))
    return central_difference(stacked, dout, h).reshape(x.shape)


class GradientBudget:
    """Learner time that numerical gradients may spend, shared out in proportion to size.

    Each gradient to check (one input of one case) gets the time left times
    its share of the elements left, so a large input is not starved by many
    small ones.
    """

    def __init__(self, seconds: float):
        self.seconds_left = seconds
        self.elements_left: int | None = None

    def allowance(self, elements: int, total_elements: int) -> float:
        """Seconds a gradient of `elements` elements may take; `total_elements`: the kata's total."""
        if self.elements_left is None:
            self.elements_left = total_elements
        return max(self.seconds_left, 0.0) * elements / max(self.elements_left, elements, 1)

    def spend(self, seconds: float, elements: int) -> None:
        self.seconds_left -= seconds
        self.elements_left = max((self.elements_left or 0) - elements, 0)
