"""Is what a learner function returned the right kind of thing? Messages say what it was instead.

`tried` and `exception_raised` make learner calls whose failures are not theirs to report: another row says them.
"""
from __future__ import annotations

from typing import Callable, TypeVar

import numpy as np

from grader.sandbox.process import LearnerError
from grader.checks.compare import same_outputs
from grader.checks.failures import CheckFailed
from grader.sandbox.protocol import Opaque

T = TypeVar("T")


def expect_tuple(value: object, fn: str, names: tuple[str, ...]) -> tuple:
    """The learner's return value, checked to be a tuple of len(names)."""
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        what = describe_value(value) if not isinstance(value, (tuple, list)) else f"a {type(value).__name__} of {len(value)}"
        raise CheckFailed(f"{fn} must return a tuple ({', '.join(names)}); it returned {what}")
    return tuple(value)


def expect_array(value: object, what: str) -> None:
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise CheckFailed(f"{what} must be a numpy array of numbers; got {describe_value(value)}")


def expect_kind(value: object, name: str, shape: tuple | None, why: str = "", where: str = "",
                got: str = "got") -> object:
    """`value` as declared: for shape None a real scalar, returned as a float; else a numeric array of `shape`
    (`why` says why that one). A message starts with `where` ("logits 6x5: "); `got` introduces a wrong scalar."""
    if shape is None:
        number = real_scalar(value)
        if number is None:
            raise CheckFailed(f"{where}{name} must be a real scalar (a float or a 0-d array); {got} "
                              f"{describe_value(value)}")
        return number
    expect_array(value, name)
    if value.shape != shape:
        raise CheckFailed(f"{where}{name} has shape {value.shape}, expected {shape}{why}")
    return value


def describe_value(value: object) -> str:
    """'None', 'a list', 'an array of dtype int64': for messages."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    if isinstance(value, Opaque):
        return f"a {value.type_name}"
    return f"a {type(value).__name__}"


def real_scalar(value: object) -> float | None:
    """float(value) for a real number (Python or numpy, or a 0-d array); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        return float(value)
    return None


def as_numbers(value: object) -> np.ndarray | None:
    """`value` as a float array when it is a number or a numeric array, else None."""
    if isinstance(value, (float, int, np.number, np.ndarray)) and np.asarray(value).dtype.kind in "biuf":
        return np.asarray(value, dtype=np.float64)
    return None


def expect_raises(call, exception_type: str, what: str, if_returned: str = "it returned normally") -> None:
    """`call()` (a learner call) must raise `exception_type`, by the contract.

    Another exception fails the row naming it; a normal return fails it with
    `if_returned`; a hang or crash (not a raise) propagates as it is.
    """
    try:
        call()
    except LearnerError as error:
        if error.raised(exception_type):
            return
        if error.kind != "raised":
            raise
        raise CheckFailed(f"{what} must raise {exception_type}; {error.describe()}") from None
    raise CheckFailed(f"{what} must raise {exception_type}; {if_returned}")


def expect_same(first: dict[str, object], second: dict[str, object], what: str) -> None:
    """Two calls on the same inputs gave the same values ({name: value} each), by the contract's rule with NaN
    agreeing with NaN; else CheckFailed naming `what` (the configuration and the function) and the value.
    Every template's "deterministic" row says it this way."""
    for name, value in first.items():
        if not same_outputs(np.asarray(value), np.asarray(second[name])):
            raise CheckFailed(f"{what} gave a different {name} for the same inputs")


def expect_clean(warnings: list[str], values: dict[str, object], what: str, hint: str,
                 inputs: dict[str, np.ndarray] | None = None) -> None:
    """Every value finite and the call free of warnings (the contract's stability promise).

    `warnings` are the call's (Returned.warnings); `what` names the call and
    its inputs; `hint` says how to make it stable. A non-finite element is
    named with the element of each of `inputs` of its shape ("at x = 1000").
    """
    for name, value in values.items():
        array = np.asarray(value, dtype=np.float64)
        if not np.isfinite(array).all():
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            where = f"{name}[{', '.join(str(i) for i in bad)}]" if bad else name
            at = "".join(f" at {key} = {float(np.asarray(given)[bad]):g}" for key, given in (inputs or {}).items()
                         if np.shape(given) == array.shape and np.asarray(given).dtype.kind in "biuf")
            warned = f" (with {warnings[0]})" if warnings else ""
            raise CheckFailed(f"{what}: {where} is {array[bad]}{at}{warned}; it must be finite: {hint}")
    if warnings:
        more = f" and {len(warnings) - 1} more" if len(warnings) > 1 else ""
        raise CheckFailed(f"{what} warned: {warnings[0]}{more}; it must run without warnings: {hint}")


def tried(call: Callable[[], T], stops: bool = False) -> T | None:
    """call(), or None where the learner's code fails: a known mistake judges only the calls the code answers, and a
    row that watches every call ("inputs not modified") makes those no other row made. With `stops`, a failure that
    stops the row (the process gone, a stub) propagates."""
    try:
        return call()
    except (CheckFailed, LearnerError) as error:
        if stops and isinstance(error, LearnerError) and error.stops_the_row:
            raise
        return None


def exception_raised(call: Callable[[], object]) -> str | None:
    """The type (its name) of the exception the learner's code raised in call(), or None when it returned."""
    try:
        call()
    except LearnerError as error:
        return error.exception_type
    except CheckFailed:
        pass
    return None
