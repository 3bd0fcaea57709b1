"""The functions template's plain-data kinds, exact comparisons and stated properties (grader/authoring/functions.py)."""
import numpy as np
import pytest

from grader.authoring import functions
from grader.authoring.functions import Function, Inputs, Property, Value, _exact_mismatch, _of_kind, _plain
from grader.authoring.kata import CheckFailed


def test_plain_data_of_each_kind():
    assert _plain([1, np.int64(2)], "ints") == [1, 2]
    assert _plain(np.array([3, 4]), "ints") == [3, 4]
    assert _plain([1, 2], "ints", listed=False) is None  # an "ints" not listed must be an array
    assert _plain(np.array([1.0]), "ints") is None and _plain([True], "ints") is None
    assert _plain([(1, 2), [3, 4]], "int pairs") == [(1, 2), (3, 4)]
    assert _plain([(1, 2, 3)], "int pairs") is None
    assert _plain("abc", "str") == "abc" and _plain(b"abc", "str") is None


def test_an_exact_mismatch_names_the_first_difference_and_the_lengths():
    assert _exact_mismatch("keep", [1, 2], [1, 2]) is None
    assert _exact_mismatch("keep", [1, 2, 3], [1, 5]).startswith("keep[1] is 5, expected 2; 2 entries, expected 3")
    assert _exact_mismatch("keep", [1, 2], [1]).startswith("keep has 1 entry, expected 2: the first missing is 2")
    assert _exact_mismatch("text", "ab", "abc") == "text is 'abc', expected 'ab'"


def test_a_dict_of_arrays_has_the_keys_and_shapes_of_its_argument():
    declared, args = Value("clipped", "grads", kind="dict"), {"grads": {"w": np.ones((2, 3))}}
    assert set(_of_kind({"w": np.zeros((2, 3))}, declared, args, "", "f returned")) == {"w"}
    with pytest.raises(CheckFailed, match=r"keys of grads, \['w'\]; f returned a dict with keys \['v'\]"):
        _of_kind({"v": np.zeros((2, 3))}, declared, args, "", "f returned")
    with pytest.raises(CheckFailed, match=r"clipped\['w'\] has shape \(3, 2\)"):
        _of_kind({"w": np.zeros((3, 2))}, declared, args, "", "f returned")


def test_a_property_names_its_first_false_entry(monkeypatch):
    f = Function("f", (Value("p", "x"),), ())
    inputs = Inputs("x of 3", {"x": np.zeros(3)})
    monkeypatch.setattr(functions, "values", lambda session, function, inputs, names: {"p": np.array([0.5, -1, 2])})
    holds = (Property("p", lambda p, args: p >= 0, "every entry >= 0"),)
    with pytest.raises(CheckFailed, match=r"x of 3: every entry >= 0 does not hold \(p\[1\] = "):
        functions.expect_holds(None, f, inputs, holds)
    functions.expect_holds(None, f, inputs, (Property("p", lambda p, args: p.size == 3, "three entries"),))
