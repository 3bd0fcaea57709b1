"""Trusted grader code that draws many samples from a learner's random function, in the learner's process.

Imported there before any learner code runs (launcher._load_sandbox), and run
through LearnerProcess.run_split_in_child, so that both cores share the calls:

    session.learner.run_split_in_child(DRAWS, "kmeans_plus_plus", indices, args, kwargs, seed, shape)

calls the learner's kmeans_plus_plus(*args, **kwargs, rng=np.random.default_rng([seed, index])) once per index.
The request is named after the learner's function (this module answers any public name with `seeded_calls` for
that function, see __getattr__): the child names a request's failure after it, so an exception the learner's
code raises here is reported as one of a direct call, "kmeans_plus_plus raised ValueError: ... (its line)".
Each call's Generator depends on its index only, never on the calls before it: the draws are independent, and
the same however the indices are split between the processes.
"""
from __future__ import annotations

import functools
from types import ModuleType

import numpy as np

_ndarray = np.ndarray
_NUMERIC_KINDS = "biuf"


def seeded_calls(learner_module: ModuleType, args: tuple, kwargs: dict, seed: int, shape: tuple,
                 item: int | None = None, *, function: str, indices, report=None) -> np.ndarray:
    """(len(indices), *shape) float64: row i is `function(*args, **kwargs, rng=default_rng([seed, indices[i]]))`
    (its item `item` of a tuple result, None: the result itself), every call on fresh copies of the array
    arguments. A row whose output is not numbers of `shape` (a list, a tuple, another shape, complex) is NaN:
    the parent says what is wrong with it, without one odd output costing the others."""
    fn = getattr(learner_module, function)
    rows = np.full((len(indices), *shape), np.nan)
    for row, index in enumerate(indices):
        call_args = [arg.copy() if isinstance(arg, _ndarray) else arg for arg in args]
        call_kwargs = {key: value.copy() if isinstance(value, _ndarray) else value for key, value in kwargs.items()}
        value = fn(*call_args, **call_kwargs, rng=np.random.default_rng([seed, int(index)]))
        if item is not None:
            value = value[item] if isinstance(value, tuple) and len(value) > item else None
        if type(value) in (int, float):  # a plain number, as a 0-d output may be
            value = np.float64(value)
        if isinstance(value, (_ndarray, np.generic)) and value.dtype.kind in _NUMERIC_KINDS and value.shape == shape:
            rows[row] = value
    return rows


def __getattr__(name: str):
    """`seeded_calls` of the learner's function `name`, for a request named after it (see the module's docstring)."""
    if name.startswith("_"):
        raise AttributeError(name)
    return functools.partial(seeded_calls, function=name)
