"""Kata activations: ReLU, sigmoid and tanh, forward and backward.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader activations

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/activations.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def relu_forward(x):
    """Rectified linear unit, forward pass.

        out = max(x, 0), elementwise

    x may have any shape. Do not modify x.

    Inputs:
    - x: Input data, of any shape

    Returns a tuple of:
    - out: Output data, of the same shape as x
    - cache: Whatever relu_backward needs; the grader only hands it back
      to relu_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    1, 2 and 3 dimensions; that x is not modified; that the same inputs give
    the same outputs. Edge case: x with elements exactly 0 (out is 0 there).
    All inputs are float64. Speed is shown beside the score but never
    counted in it.
    """
    raise NotImplementedError("relu_forward: not started")


def relu_backward(dout, cache):
    """Rectified linear unit, backward pass.

        dx = dout where x > 0, and 0 where x <= 0

    At exactly x == 0, where ReLU has a kink, the gradient is 0 (as in
    PyTorch). Do not modify dout: the classic dout[x <= 0] = 0 writes
    into the caller's array; work on a copy, or use np.where or a
    product with a mask.

    Inputs:
    - dout: Upstream derivatives, of the same shape as x
    - cache: Whatever relu_forward returned

    Returns:
    - dx: Gradient with respect to x, of the same shape as x

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of relu_forward on float64 inputs
    at least 0.1 away from 0 (two arrays agree when their shapes are equal
    and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), for x of 1, 2 and 3 dimensions; that dout
    is not modified; that the same inputs give the same outputs. Edge case:
    x with elements exactly 0 (dx is 0 there; compared with the reference
    only, since central differences are meaningless at the kink). Speed is
    shown beside the score but never counted in it.
    """
    raise NotImplementedError("relu_backward: not started")


def sigmoid_forward(x):
    """Logistic sigmoid, forward pass.

        out = 1 / (1 + exp(-x)), elementwise

    Make it stable: exp(-x) overflows to inf for x below about -709
    (with a RuntimeWarning, even where the result would come out right),
    and exp(x) / (1 + exp(x)) gives inf / inf = nan for large x. Only
    ever take exp of a number <= 0: with e = exp(-|x|), which cannot
    overflow, out = 1 / (1 + e) where x >= 0 and e / (1 + e) where
    x < 0. Beware np.where(cond, a, b) with a and b written in x: numpy
    computes both on every element before choosing, so an overflow in
    the branch not taken still warns. x = 1000 must give 1.0 and
    x = -1000 must give 0.0, with no warning. x may have any shape. Do
    not modify x.

    Inputs:
    - x: Input data, of any shape

    Returns a tuple of:
    - out: Output data, of the same shape as x, each in [0, 1]
    - cache: Whatever sigmoid_backward needs; the grader only hands it
      back to sigmoid_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    1, 2 and 3 dimensions; that x is not modified; that the same inputs give
    the same outputs. Edge case: x holding -1000, 1000 and values in between
    gives finite values (1.0 at 1000, 0.0 at -1000) and no warnings. All
    inputs are float64. Speed is shown beside the score but never counted in
    it.
    """
    raise NotImplementedError("sigmoid_forward: not started")


def sigmoid_backward(dout, cache):
    """Logistic sigmoid, backward pass.

    The derivative is easiest in terms of the forward output:

        dx = dout * out * (1 - out), where out = sigmoid(x)

    Do not modify dout.

    Inputs:
    - dout: Upstream derivatives, of the same shape as x
    - cache: Whatever sigmoid_forward returned

    Returns:
    - dx: Gradient with respect to x, of the same shape as x

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of sigmoid_forward on float64
    inputs (two arrays agree when their shapes are equal and max|a - b|
    <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the
    largest magnitude among the check's inputs (dout included), at least 1:
    an exact 0 that your formula computes as rounding noise agrees with 0),
    for x of 1, 2 and 3 dimensions; that dout is not modified; that the same
    inputs give the same outputs. Speed is shown beside the score but never
    counted in it.
    """
    raise NotImplementedError("sigmoid_backward: not started")


def tanh_forward(x):
    """Hyperbolic tangent, forward pass.

        out = tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x)), elementwise

    np.tanh computes it stably. x may have any shape. Do not modify x.

    Inputs:
    - x: Input data, of any shape

    Returns a tuple of:
    - out: Output data, of the same shape as x, each in [-1, 1]
    - cache: Whatever tanh_backward needs; the grader only hands it back
      to tanh_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    1, 2 and 3 dimensions; that x is not modified; that the same inputs give
    the same outputs. All inputs are float64. Speed is shown beside the
    score but never counted in it.
    """
    raise NotImplementedError("tanh_forward: not started")


def tanh_backward(dout, cache):
    """Hyperbolic tangent, backward pass.

    The derivative is easiest in terms of the forward output, not the
    input:

        dx = dout * (1 - out**2), where out = tanh(x)

    Do not modify dout.

    Inputs:
    - dout: Upstream derivatives, of the same shape as x
    - cache: Whatever tanh_forward returned

    Returns:
    - dx: Gradient with respect to x, of the same shape as x

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of tanh_forward on float64 inputs
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0), for x of
    1, 2 and 3 dimensions; that dout is not modified; that the same inputs
    give the same outputs. Speed is shown beside the score but never counted
    in it.
    """
    raise NotImplementedError("tanh_backward: not started")
