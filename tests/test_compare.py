"""The contract's agreement rule, and how mismatches are described."""
import numpy as np
import pytest

from grader.compare import compare_arrays, describe_where, relative_error


def test_relative_error_is_normwise():
    expected = np.array([100.0, 1.0])
    got = np.array([100.0, 1.0 + 1e-5])  # a small element off by 1e-5 is 1e-7 of the norm
    assert relative_error(expected, got) == pytest.approx(1e-7)
    assert compare_arrays("x", expected, got) is None


def test_two_zero_arrays_agree():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert compare_arrays("x", np.zeros((2, 2)), np.zeros((2, 2))) is None


def test_just_above_tolerance_fails_and_names_the_worst_element():
    expected = np.arange(12.0).reshape(3, 4)
    got = expected.copy()
    got[2, 1] += 11 * 2e-6
    mismatch = compare_arrays("dx", expected, got)
    assert mismatch is not None
    assert mismatch.index == (2, 1)
    assert mismatch.expected == 9.0
    assert mismatch.n_off == 1 and mismatch.n_total == 12
    assert "dx[2, 1] expected 9, got 9.00002" in mismatch.describe()


def test_nan_and_inf_never_agree():
    expected = np.ones(4)
    for bad in (np.nan, np.inf):
        got = expected.copy()
        got[3] = bad
        mismatch = compare_arrays("out", expected, got)
        assert mismatch is not None and mismatch.index == (3,)


def test_where_names_a_slice_of_one_axis():
    off = np.zeros((2, 3, 4, 5), dtype=bool)
    off[:, 1] = True
    assert describe_where(off, "dx") == "only in dx[:, 1]"


def test_where_names_the_border():
    off = np.zeros((2, 2, 6, 6), dtype=bool)
    off[..., [0, 5], :] = True
    off[..., :, [0, 5]] = True
    assert "only on the border, within 1 of the edge" in describe_where(off, "dx")


def test_where_points_at_rows_no_window_reaches():
    off = np.zeros((1, 2, 8, 7), dtype=bool)
    off[:, :, 6:, :] = True
    text = describe_where(off, "dx")
    assert text.startswith("only in dx[:, :, 6:8]") and "last rows" in text


def test_where_everywhere():
    assert describe_where(np.ones((2, 2), dtype=bool)) == "everywhere"
