"""Which configurations a check fails in, said as the one property they share.

When a check fails only where stride > 1, or only where pad = 0, or only
for a non-square kernel, that property names the mistake better than any
single mismatch: a backward that ignores the stride, a `pad:-pad` slice
that is empty at pad = 0, a kernel unpacked as (WW, HH). Each kata lists
the properties of its configurations that matter (`Feature`); its layer
adds its parameters and named axes.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real


@dataclass(frozen=True)
class Feature:
    """A property of a configuration: `of(configuration)` gives a number ("stride", "N") or a yes/no
    ("windows overlap"; `negation` says the opposite: "windows do not overlap").

    Declared features are tried first; the automatic ones (parameters, axis sizes) only where several
    configurations fail, since one configuration alone differs from the others in many ways. An axis size
    (`special_only`) is named only at the sizes special for any code, 0 and 1 ("N = 1", "H > 1"): "N < 8"
    would be a coincidence of the sizes the kata happens to use.
    """

    name: str
    of: Callable[[object], object]
    negation: str = ""
    declared: bool = True
    special_only: bool = False


def confined_to(features: Sequence[Feature], configurations: Sequence[object], failed: Sequence[bool]) -> str | None:
    """The property that holds exactly where the check failed ('stride > 1', 'pad = 0'); None when every
    configuration failed or none did, or no feature separates the failing ones from the others."""
    n_failed = sum(failed)
    if n_failed == 0 or n_failed == len(failed):
        return None
    for feature in features:
        if not feature.declared and n_failed < 2:
            continue
        try:
            values = [feature.of(configuration) for configuration in configurations]
        except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
            continue
        predicate = _separating(feature, values, failed)
        if predicate and (not feature.special_only or predicate.split()[-1] in ("0", "1")):
            return predicate
    return None


def _separating(feature: Feature, values: list, failed: Sequence[bool]) -> str | None:
    failing = {value for value, bad in zip(values, failed) if bad}
    passing = {value for value, bad in zip(values, failed) if not bad}
    if failing & passing:
        return None
    if all(isinstance(value, bool) for value in values):
        (value,) = failing
        return feature.name if value else (feature.negation or f"not {feature.name}")
    if not all(isinstance(value, Real) for value in values):
        return None
    name = feature.name
    if len(failing) == 1 and (next(iter(failing)) in (0, 1) or not min(failing) > max(passing)):
        return f"{name} = {_number(next(iter(failing)))}"
    if min(failing) > max(passing):
        return f"{name} > {_number(max(passing))}"
    if max(failing) < min(passing):
        return f"{name} < {_number(min(passing))}"
    if len(passing) == 1:
        return f"{name} != {_number(next(iter(passing)))}"
    return None


def _number(value: Real) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def confinement_note(predicate: str | None, n_failed: int, n_total: int) -> str:
    """' (it fails only where pad = 0: 3 of 9 configurations)', or the count alone, or ''."""
    if predicate:
        return f" (it fails only where {predicate}: {n_failed} of {n_total} configurations)"
    if n_failed > 1:
        return f" (and {n_failed - 1} more of {n_total} configurations)"
    return ""
