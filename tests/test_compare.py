"""The contract's agreement rule, and how mismatches are described."""
import numpy as np
import pytest

from grader.checks.compare import (agree, compare_arrays, describe_where, format_pair, input_scale, relative_error,
                                   same_outputs)


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


def test_same_outputs_takes_nan_where_nan_and_rounding_elsewhere():
    # A known mistake "gives NaN" is recognised whatever rounding the learner's finite elements took.
    wrong = np.array([[np.nan, 1.0, -np.inf], [0.5, 2.0, 3.0]])
    rounded = wrong * (1 + 1e-12)
    assert same_outputs(wrong, rounded)
    moved = rounded.copy()
    moved[1, 2] = np.nan  # NaN elsewhere
    assert not same_outputs(wrong, moved)
    off = rounded.copy()
    off[1, 0] = 0.6  # a finite element off
    assert not same_outputs(wrong, off)
    flipped = rounded.copy()
    flipped[0, 2] = np.inf  # -inf against +inf
    assert not same_outputs(wrong, flipped)


def test_where_names_a_slice_of_one_axis():
    off = np.zeros((2, 3, 4, 5), dtype=bool)
    off[:, 1] = True
    assert describe_where(off, "dx") == "only in dx[:, 1]"


def test_where_names_the_border():
    off = np.zeros((2, 2, 6, 6), dtype=bool)
    off[..., [0, 5], :] = True
    off[..., :, [0, 5]] = True
    assert "only on the border, within 1 of the edge" in describe_where(off, "dx")


def test_where_names_the_last_rows_without_guessing_why():
    # The same slice is rows no window reaches in one kata and tied maxima in another: the kata says which.
    off = np.zeros((1, 2, 8, 7), dtype=bool)
    off[:, :, 6:, :] = True
    assert describe_where(off, "dx") == "only in dx[:, :, 6:8]"


def test_rounding_noise_around_an_exact_zero_agrees_within_the_absolute_floor():
    # A staged backward whose exact answer is 0 computes terms of ~300 cancelling to ~1e-13.
    noise = np.array([7.1e-15, -1e-13, 0.0])
    assert agree(np.zeros(3), noise)
    assert compare_arrays("dx", np.zeros(3), noise) is None
    # The floor is 1e-10 times the largest input magnitude (at least 1), no more.
    assert not agree(np.zeros(3), np.array([0.0, 2e-10, 0.0]), scale=1.0)
    assert agree(np.zeros(3), np.array([0.0, 2e-10, 0.0]), scale=5.0)
    assert not agree(np.zeros(3), np.array([0.0, 6e-10, 0.0]), scale=5.0)


def test_input_scale_is_the_largest_magnitude_and_at_least_one():
    assert input_scale(np.array([0.5, -0.25])) == 1.0
    assert input_scale(np.array([0.5, -3.0]), np.array([[2.0]]), {"mode": "train"}) == 3.0
    assert input_scale(np.array([np.inf, 7.0])) == 7.0


def test_a_constant_ratio_is_named_from_the_quantities_given():
    expected = np.arange(1.0, 7.0).reshape(2, 3)
    mismatch = compare_arrays("db", expected, expected / 4, quantities={"C": 3, "N": 4})
    assert mismatch.ratio == pytest.approx(0.25)
    assert "db is 1/4 of the expected everywhere (1/N, N = 4)" in mismatch.describe()
    flipped = compare_arrays("dx", expected, -expected)
    assert "dx is the negative of the expected everywhere" in flipped.describe()
    zero = compare_arrays("dx", expected, np.zeros_like(expected))
    assert "every element of dx is 0" in zero.describe() and zero.ratio is None


def test_no_ratio_is_claimed_when_there_is_none():
    expected = np.arange(1.0, 7.0)
    got = expected.copy()
    got[0] *= 3
    mismatch = compare_arrays("x", expected, got)
    assert mismatch.ratio is None and "times" not in mismatch.describe()
    # A single number always has some ratio: only a plain one (an integer, its inverse) is said.
    assert compare_arrays("loss", np.array(2.0), np.array(2.3)).ratio is None
    assert "4 times the expected" in compare_arrays("loss", np.array(2.0), np.array(8.0)).describe()


def test_printed_numbers_show_their_difference():
    assert format_pair(0.0145008, 0.01450083) == ("0.0145008", "0.01450083")
    assert format_pair(9.0, 9.00002) == ("9", "9.00002")
    assert format_pair(-0.0, 1.0) == ("0", "1")
    mismatch = compare_arrays("out", np.array([0.0145008]), np.array([0.0145009]))
    assert "expected 0.0145008, got 0.0145009" in mismatch.describe()


def test_where_everywhere():
    assert describe_where(np.ones((2, 2), dtype=bool)) == "everywhere"
