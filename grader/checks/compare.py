"""When do two arrays agree, and if they don't, what exactly is off and where.

The contract's rule, implemented here and nowhere else: two arrays agree
when their shapes are equal and

    max|a - b| <= 1e-6 * max(max|a|, max|b|)      (normwise relative error)
    or max|a - b| <= 1e-10 * s                     (an absolute floor)

where `s`, at least 1, is the largest magnitude among the arrays the check
passed in, upstream gradient included (`input_scale`). The floor lets an
exact answer of 0, which a correct formula computes as rounding noise
(terms of ~300 cancelling to 1e-13), agree with 0. An element is *off* when
its own difference is above both bounds, so "how many are off" and "where"
are read with the same yardstick as the verdict.

A mismatch also says what it looks like: got a constant multiple of
expected ("1/N of the expected everywhere", named when the check says
which quantities it knows), every element 0, or off only in a slice or on
the border.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

TOLERANCE = 1e-6
#: The absolute floor, times the check's input scale.
ABSOLUTE_FLOOR = 1e-10


def input_scale(*values: object) -> float:
    """s of the agreement rule: the largest magnitude among `values` (arrays or numbers), at least 1, skipping
    non-numeric values (a dict, None) and non-finite entries, which say nothing of the scale of the answer."""
    scale = 1.0
    for value in values:
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            continue
        finite = array[np.isfinite(array)]
        if finite.size:
            scale = max(scale, float(np.max(np.abs(finite))))
    return scale


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


def agree(expected: object, got: object, scale: float = 1.0, tolerance: float = TOLERANCE) -> bool:
    """The contract's rule: same shape, and within 1e-6 normwise or 1e-10 * scale absolutely
    (`tolerance` replaces the 1e-6 for tests that hold a reference to a tighter bound)."""
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    if expected.shape != got.shape:
        return False
    if expected.size == 0:
        return True
    if not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected))):
        return False  # NaN and inf never agree (same_outputs accepts the same NaN twice)
    largest = float(np.max(np.abs(expected - got)))
    magnitude = max(float(np.max(np.abs(expected))), float(np.max(np.abs(got))))
    return largest <= tolerance * magnitude or largest <= ABSOLUTE_FLOOR * max(scale, 1.0)


class Mismatch(NamedTuple):
    """How `got` differs from `expected`: the worst element, how many are off, where, and how."""

    name: str
    index: tuple[int, ...]             # of the worst element, as are expected and got
    expected: float
    got: float
    n_off: int
    n_total: int
    where: str | None = None
    error_map: str | None = None
    ratio: float | None = None         # c with got = c * expected everywhere (to the rule's tolerance), if any
    ratio_names: tuple[str, ...] = ()  # what c may be, from the check's quantities ("1/N, N = 4"), likeliest first
    all_zero: bool = False             # every element of got is 0 (where expected is not)

    def map_title(self) -> str:
        """What error_map shows: the (H, W) plane of the worst element."""
        lead = ", ".join(str(i) for i in self.index[:-2])
        return f"{self.name}[{lead}, :, :] (X: off, .: right)"

    def describe(self) -> str:
        index = ", ".join(str(i) for i in self.index)
        element = f"{self.name}[{index}]" if self.index else self.name
        expected, got = format_pair(self.expected, self.got)
        text = f"{element} expected {expected}, got {got}"
        if self.n_total > 1:
            text += f"; {self.n_off} of {self.n_total} elements off"
            if self.where and not (self.where == "everywhere" and (self.ratio is not None or self.all_zero)):
                text += f", {self.where}"
        how = self.how()
        return f"{text}: {how}" if how else text

    def how(self) -> str:
        """'dw is 1/2 of the expected everywhere (1/N, N = 2)', 'every element of dx is 0', or ''."""
        if self.all_zero:
            return f"every element of {self.name} is 0" if self.n_total > 1 else ""
        if self.ratio is None:
            return ""
        where = " everywhere" if self.n_total > 1 else ""
        named = f" ({self.ratio_names[0]})" if self.ratio_names else ""
        return f"{self.name} is {describe_ratio(self.ratio)}{where}{named}"


def compare_arrays(name: str, expected: np.ndarray, got: np.ndarray, scale: float = 1.0,
                   quantities: dict[str, float] | Callable[[], dict[str, float]] | None = None,
                   tolerance: float = TOLERANCE) -> Mismatch | None:
    """None when the arrays agree by the contract's rule, else the Mismatch.

    Shapes must already be equal: a wrong shape deserves its own message, the caller's. `scale` is the
    check's input scale (see input_scale); `quantities` names numbers of the check's configuration
    ({"N": 4, "H'*W'": 6, "learning_rate": 0.01}) so that a constant ratio between got and expected can be
    named, or is a function that makes them, called only when there is a ratio to name. `tolerance`, for
    tests only, replaces the rule's 1e-6.
    """
    expected = np.asarray(expected, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64)
    if agree(expected, got, scale, tolerance):
        return None
    finite = np.isfinite(got)
    difference = np.where(finite, np.abs(expected - np.where(finite, got, 0.0)), np.inf)
    difference = np.where(np.isnan(expected) & np.isnan(got), 0.0, difference)
    magnitude = max(np.max(np.abs(expected[np.isfinite(expected)]), initial=0.0),
                    np.max(np.abs(got[finite]), initial=0.0))
    off = difference > max(tolerance * magnitude, ABSOLUTE_FLOOR * max(scale, 1.0))
    worst = np.unravel_index(int(np.argmax(difference)), expected.shape)
    ratio = constant_ratio(expected, got, scale)  # None when every element of got is 0
    named = () if ratio is None else name_ratio(ratio, (quantities() if callable(quantities) else quantities) or {})
    return Mismatch(name, tuple(int(i) for i in worst), float(expected[worst]), float(got[worst]),
                    n_off=int(off.sum()), n_total=int(off.size), where=describe_where(off, name),
                    error_map=_error_map(off, worst), ratio=ratio, ratio_names=named,
                    all_zero=bool(np.all(got == 0)) and not agree(expected, np.zeros_like(expected), scale))


def constant_ratio(expected: np.ndarray, got: np.ndarray, scale: float = 1.0) -> float | None:
    """c when got = c * expected everywhere, by the agreement rule (c not 0 or 1), else None; for a single
    number any c fits, so only a plain one (an integer, its inverse, their negatives) is reported."""
    if expected.size == 0 or not (np.all(np.isfinite(expected)) and np.all(np.isfinite(got))):
        return None
    norm = float(np.sum(expected * expected))
    if norm == 0:
        return None
    c = float(np.sum(expected * got)) / norm
    if c == 0 or not math.isfinite(c) or abs(c - 1) <= TOLERANCE or not agree(c * expected, got, scale):
        return None
    if np.count_nonzero(np.abs(expected) > ABSOLUTE_FLOOR * max(scale, 1.0)) < 2 and _plain(c) is None:
        return None
    return c


def name_ratio(c: float, quantities: dict[str, float]) -> tuple[str, ...]:
    """What c may be in terms of the check's quantities: '1/N, N = 4', 'learning_rate**2, learning_rate = 0.01'.

    Every quantity (in the order given) of which c is a power (1, -1, 2 or -2), possibly negated. The
    part before the comma names the expression, the same in every configuration.
    """
    names = []
    for name, value in quantities.items():
        value = float(value)
        if value in (0.0, 1.0, -1.0) or not math.isfinite(value):
            continue
        fit = next(((power, sign) for power in (1, -1, 2, -2) for sign in (1, -1)
                    if abs(sign * value ** power - c) <= 1e-6 * abs(c)), None)
        if fit is not None:
            power, sign = fit
            expression = {1: name, -1: f"1/{_wrap(name)}", 2: f"{_wrap(name)}**2", -2: f"1/{_wrap(name)}**2"}[power]
            names.append(f"{'-' if sign < 0 else ''}{expression}, {name} = {value:g}")
    return tuple(names)


def describe_ratio(c: float) -> str:
    """'4 times the expected', '1/4 of the expected', 'the negative of the expected', '0.3 times ...'."""
    if abs(c + 1) <= 1e-6:
        return "the negative of the expected"
    plain = _plain(c)
    if plain is None:
        return f"{c:.4g} times the expected"
    sign = "-" if c < 0 else ""
    return f"{sign}1/{plain[0]} of the expected" if plain[1] == "inverse" else f"{sign}{plain[0]} times the expected"


def _plain(c: float) -> tuple[int, str] | None:
    """(k, 'times') when |c| is the integer k, (k, 'inverse') when it is 1/k (k up to 10**6); else None."""
    magnitude = abs(c)
    for value, kind in ((magnitude, "times"), (1 / magnitude, "inverse")):
        k = round(value)
        if 2 <= k <= 10**6 and abs(value - k) <= 1e-6 * value:
            return k, kind
    return None


def _wrap(name: str) -> str:
    return f"({name})" if any(op in name for op in "*+-/") else name


#: Largest (H, W) plane drawn as an error map.
MAP_LIMIT = 24


def _error_map(off: np.ndarray, worst: tuple) -> str | None:
    """Which positions are off in the (H, W) plane of the worst element, for arrays of 3 or more axes
    (images), where "only the border is wrong" is seen at a glance."""
    if off.ndim < 3 or max(off.shape[-2:]) > MAP_LIMIT or min(off.shape[-2:]) < 2:
        return None
    plane = off[tuple(worst[:-2])]
    if plane.all():  # "everywhere" says it better than a grid of X
        return None
    return "\n".join("".join("X" if cell else "." for cell in row) for row in plane)


def same_outputs(first: np.ndarray, second: np.ndarray, scale: float = 1.0) -> bool:
    """Two outputs agree: by the contract's rule, or NaN exactly where NaN (for determinism checks and known
    mistakes: a NaN is wrong, as other checks say, but the same NaN twice is not non-determinism)."""
    first, second = np.asarray(first), np.asarray(second)
    if first.shape != second.shape:
        return False
    if np.array_equal(first, second, equal_nan=True):
        return True
    if first.dtype.kind not in "biuf" or second.dtype.kind not in "biuf":
        return False
    finite = np.isfinite(first)
    if finite.all() and np.isfinite(second).all():
        return agree(first, second, scale)
    # NaN and inf where the other has the same, the finite rest by the rule: a NaN known mistake is recognised
    # whatever rounding the learner's finite elements took.
    return np.array_equal(finite, np.isfinite(second)) and \
        np.array_equal(first[~finite], second[~finite], equal_nan=True) and agree(first[finite], second[finite], scale)


def describe_where(off: np.ndarray, name: str = "") -> str | None:
    """Where the off elements sit, when it tells something: everywhere; only some indices along one
    axis, as a slice (one sample, some rows); only a ring on the border of the last two axes (padding?).

    What a slice means (rows no window reaches, say) is the kata's to say: it means other things elsewhere.
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
            return f"only in {name}[{':, ' * axis}{_index_set(touched)}]"
    return _describe_ring(off.reshape((-1,) + off.shape[-2:]).any(axis=0)) if off.ndim >= 3 else None


def _describe_ring(off: np.ndarray) -> str | None:
    """'only on the border' when the off positions of an (H, W) map hug its edges."""
    height, width = off.shape
    rows, cols = np.nonzero(off)
    depth = np.minimum.reduce([rows, cols, height - 1 - rows, width - 1 - cols])
    ring = int(depth.max()) + 1
    return f"only on the border, within {ring} of the edge (padding?)" if 2 * ring < min(height, width) else None


def _index_set(indices: np.ndarray) -> str:
    """[3] -> '3'; [1, 2, 3] -> '1:4'; [0, 2] -> '0 and 2'."""
    if len(indices) == 1:
        return str(indices[0])
    if indices[-1] - indices[0] == len(indices) - 1:
        return f"{indices[0]}:{indices[-1] + 1}"
    return ", ".join(str(i) for i in indices[:-1]) + f" and {indices[-1]}"


def format_pair(expected: float, got: float) -> tuple[str, str]:
    """The two numbers with as many significant digits as it takes to see them differ (6 to 17), as
    "expected 0.0145008, got 0.01450083" where 6 would tell nothing. -0.0 is shown as 0."""
    expected, got = float(expected) + 0.0, float(got) + 0.0
    for digits in range(6, 18):
        first, second = f"{expected:.{digits}g}", f"{got:.{digits}g}"
        if first != second:
            break
    return first, second
