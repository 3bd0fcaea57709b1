"""When do two arrays agree, and if they don't, what exactly is off and where.

The contract's rule: two arrays agree when their shapes are equal and the
normwise relative error ``max|a - b| / max(max|a|, max|b|)`` is at most 1e-6
(two all-zero arrays agree). An element is *off* when its own difference is
above that tolerance times the same scale, so "how many are off" and "where"
are read with the same yardstick as the verdict.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOLERANCE = 1e-6


def relative_error(expected: np.ndarray, got: np.ndarray) -> float:
    """Normwise relative error of two same-shaped arrays (inf if `got` is not finite)."""
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    if expected.size == 0:
        return 0.0
    if not np.all(np.isfinite(got)):
        return float("inf")
    scale = max(np.max(np.abs(expected)), np.max(np.abs(got)))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(expected - got)) / scale)


@dataclass(frozen=True)
class Mismatch:
    """How `got` differs from `expected`: the worst element, how many are off, where."""

    name: str
    index: tuple[int, ...]
    expected: float
    got: float
    n_off: int
    n_total: int
    error: float
    where: str | None = None
    error_map: str | None = None

    def map_title(self) -> str:
        """What error_map shows: the (H, W) plane of the worst element."""
        lead = ", ".join(str(i) for i in self.index[:-2])
        return f"{self.name}[{lead}, :, :] (X: off, .: right)"

    def describe(self) -> str:
        index = ", ".join(str(i) for i in self.index)
        element = f"{self.name}[{index}]" if self.index else self.name
        text = (f"{element} expected {_number(self.expected)}, got {_number(self.got)}; "
                f"{self.n_off} of {self.n_total} elements off")
        if self.where:
            text += f", {self.where}"
        return text


def compare_arrays(name: str, expected: np.ndarray, got: np.ndarray,
                   tolerance: float = TOLERANCE) -> Mismatch | None:
    """None when the arrays agree by the contract's rule, else the Mismatch.

    Shapes must already be equal; checking them is the caller's job, because
    a wrong shape deserves its own message.
    """
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    error = relative_error(expected, got)
    if error <= tolerance:
        return None
    finite = np.isfinite(got)
    difference = np.where(finite, np.abs(expected - np.where(finite, got, 0.0)), np.inf)
    scale = max(np.max(np.abs(expected)), np.max(np.abs(got[finite]), initial=0.0))
    off = difference > tolerance * scale
    worst = np.unravel_index(int(np.argmax(difference)), expected.shape)
    return Mismatch(
        name=name,
        index=tuple(int(i) for i in worst),
        expected=float(expected[worst]),
        got=float(got[worst]),
        n_off=int(off.sum()),
        n_total=int(off.size),
        error=error,
        where=describe_where(off, name),
        error_map=_error_map(off, worst),
    )


#: Largest (H, W) plane drawn as an error map.
MAP_LIMIT = 24


def _error_map(off: np.ndarray, worst: tuple) -> str | None:
    """A grid of which positions are off in the (H, W) plane holding the worst element.

    Drawn for arrays of 3 or more axes (images: samples, channels, rows,
    columns), where "only the border is wrong" is seen at a glance.
    """
    if off.ndim < 3 or max(off.shape[-2:]) > MAP_LIMIT or min(off.shape[-2:]) < 2:
        return None
    plane = off[tuple(worst[:-2])]
    if plane.all():  # "everywhere" says it better than a grid of X
        return None
    return "\n".join("".join("X" if cell else "." for cell in row) for row in plane)


def same_outputs(first: np.ndarray, second: np.ndarray) -> bool:
    """Two outputs of the same call agree: by the contract's rule, or NaN exactly where NaN.

    For determinism checks: a NaN is wrong (other checks say so), but the
    same NaN twice is not non-determinism.
    """
    first, second = np.asarray(first), np.asarray(second)
    return first.shape == second.shape and (np.array_equal(first, second, equal_nan=True)
                                            or compare_arrays("", first, second) is None)


def describe_where(off: np.ndarray, name: str = "") -> str | None:
    """Say in words where the off elements sit, when they form a telling pattern.

    Patterns: everywhere; only some indices along one axis, as a slice
    (one sample, one filter, the last rows: the stride's floor?); only a
    ring on the border of the last two axes (padding?).
    """
    n_off = int(off.sum())
    if n_off == 0 or off.size <= 1:
        return None
    if n_off == off.size:
        return "everywhere"
    for axis in range(off.ndim):
        others = tuple(a for a in range(off.ndim) if a != axis)
        touched = np.flatnonzero(off.any(axis=others)) if others else np.flatnonzero(off)
        if len(touched) < off.shape[axis]:
            text = f"only in {name}[{':, ' * axis}{_index_set(touched)}]"
            spatial = off.ndim >= 3 and axis >= off.ndim - 2
            if spatial and touched[-1] == off.shape[axis] - 1 and touched[0] > 0 and _is_range(touched):
                text += " (the last rows or columns: does a window reach them?)"
            return text
    if off.ndim >= 3:
        return _describe_ring(off.reshape((-1,) + off.shape[-2:]).any(axis=0))
    return None


def _describe_ring(off: np.ndarray) -> str | None:
    """'only on the border' when the off positions of an (H, W) map hug its edges."""
    height, width = off.shape
    rows, cols = np.nonzero(off)
    depth = np.minimum.reduce([rows, cols, height - 1 - rows, width - 1 - cols])
    ring = int(depth.max()) + 1
    if 2 * ring < min(height, width):
        return f"only on the border, within {ring} of the edge (padding?)"
    return None


def _is_range(indices: np.ndarray) -> bool:
    return bool(indices[-1] - indices[0] == len(indices) - 1)


def _index_set(indices: np.ndarray) -> str:
    """[3] -> '3'; [1, 2, 3] -> '1:4'; [0, 2] -> '0 and 2'."""
    if len(indices) == 1:
        return str(indices[0])
    if _is_range(indices):
        return f"{indices[0]}:{indices[-1] + 1}"
    return ", ".join(str(i) for i in indices[:-1]) + f" and {indices[-1]}"


def _number(value: float) -> str:
    if not np.isfinite(value):
        return str(value)
    return f"{value:.6g}"
