"""The contract's rule for a gradient: it agrees with the reference's and with the numerical gradient
of the learner's own forward; which half broke decides the message."""
import numpy as np
import pytest

from grader.checks.gradients import Numerical, judge_gradient
from grader.authoring.kata import CheckFailed

RIGHT = np.array([[1.0, -2.0], [0.5, 3.0]])


def _judge(got, numerical, forward_right=True, sampled=None):
    if sampled is not None:
        values = np.asarray(numerical, dtype=float).reshape(-1)[sampled]
        return judge_gradient("dx", got, RIGHT, Numerical(np.array(sampled), values),
                              forward_right=forward_right, label="case", scale=1.0)
    return judge_gradient("dx", got, RIGHT, Numerical.everywhere(numerical), forward_right=forward_right,
                          label="case", scale=1.0)


def test_agreeing_with_both_passes():
    assert _judge(RIGHT, RIGHT) is None


def test_a_sample_of_elements_is_said_on_a_pass():
    assert _judge(RIGHT, RIGHT, sampled=[0, 3]) == "checked 2 of 4 elements numerically (time budget)"


def test_right_backward_of_a_forward_right_only_at_the_graded_inputs_fails():
    with pytest.raises(CheckFailed) as failure:
        _judge(RIGHT, np.zeros_like(RIGHT))
    message = str(failure.value)
    assert "matches the reference, but not the numerical gradient of your forward" in message
    assert "right at the graded inputs but not around them" in message
    assert "the numerical gradient is 0, the reference's 3" in message


def test_right_backward_of_a_wrong_forward_passes_with_a_note():
    # The forward's own row fails; the backward is not blamed for it.
    note = _judge(RIGHT, np.zeros_like(RIGHT), forward_right=False)
    assert "your forward's values are wrong" in note


def test_a_backward_faithful_to_a_wrong_forward_blames_the_forward():
    with pytest.raises(CheckFailed, match="agrees with the numerical gradient of your forward, but your forward "
                                          "is wrong, so dx is too"):
        _judge(2 * RIGHT, 2 * RIGHT, forward_right=False)


def test_a_backward_faithful_to_a_forward_right_only_here_names_a_hidden_mistake():
    # The forward agrees at the graded inputs, and the backward with its central differences: the forward is
    # smooth, so no float32 or lookup is to blame, but a mistake these inputs hide (a factor on a zero matrix).
    with pytest.raises(CheckFailed) as failure:
        _judge(2 * RIGHT, 2 * RIGHT, forward_right=True)
    message = str(failure.value)
    assert "right at the graded inputs but not around them" in message
    assert "a mistake in your forward that these inputs hide" in message and "float32" not in message


def test_a_wrong_backward_reports_the_mismatch_with_the_reference():
    with pytest.raises(CheckFailed) as failure:
        _judge(-RIGHT, RIGHT)
    assert str(failure.value).startswith("case: dx[1, 1] expected 3, got -3")
    assert "dx is the negative of the expected everywhere" in str(failure.value)


def test_a_float32_forward_is_named():
    with pytest.raises(CheckFailed, match="it returns float32: compute in float64"):
        judge_gradient("dx", RIGHT, RIGHT, Numerical.everywhere(RIGHT + 1e-3), forward_right=True, label="case",
                       scale=1.0, computed_in="float32")
