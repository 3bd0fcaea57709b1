"""Kata gelu: GELU (exact and tanh approximation) and SiLU, forward and backward.

The two gated activations of modern Transformers: GELU in BERT and GPT-2,
SiLU (swish) inside SwiGLU in LLaMA. Implement the functions below in
numpy; each docstring is the whole specification. Then grade your work
with

    python -m grader gelu

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/gelu.py: try the kata first.
"""

import math  # noqa: F401  (math.erf: numpy has none)

import numpy as np  # noqa: F401  (you will need it)


def gelu_forward(x, approximate="none"):
    """Gaussian error linear unit (GELU), forward pass.

        out = x * Phi(x), elementwise

    where Phi is the standard normal CDF:

        Phi(x) = 0.5 * (1 + erf(x / sqrt(2)))

    Mind the sqrt(2): 0.5 * (1 + erf(x)) is the CDF of a normal of
    variance 1/2, not 1. numpy has no erf: apply math.erf to every element
    (np.vectorize(math.erf), or a loop); do not count on scipy being
    installed. With approximate="tanh", use PyTorch's approximation instead:

        out = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x**3)))

    The two forms differ by up to about 5e-4 (near |x| = 2.7), far more
    than the grader's tolerance, so each must be the one asked for.
    approximate is "none" (the default: the exact form) or "tanh"; anything
    else raises ValueError. x may have any shape. Do not modify x.

    Inputs:
    - x: Input data, of any shape
    - approximate: "none" (exact, with erf) or "tanh"

    Returns a tuple of:
    - out: Output data, of the same shape as x
    - cache: Whatever gelu_backward needs; the grader only hands it back
      to gelu_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    1, 2 and 3 dimensions, each with approximate="none" (passed, and left
    out for the default) and with approximate="tanh"; that x is not
    modified; that the same inputs give the same outputs. Edge case:
    approximate="erf" raises ValueError. All inputs are float64. Speed is
    shown beside the score but never counted in it.
    """
    raise NotImplementedError("gelu_forward: not started")


def gelu_backward(dout, cache):
    """GELU, backward pass, for the form the forward pass used.

    out = x * g(x), so by the product rule

        dx = dout * (g(x) + x * g'(x))

    Both terms count: dout * g(x) alone is the most common mistake. For
    the exact form g = Phi and g' is the standard normal density,

        g'(x) = phi(x) = exp(-x**2 / 2) / sqrt(2 * pi)

    For approximate="tanh", with t = tanh(sqrt(2/pi) * (x + 0.044715 * x**3)),
    g = 0.5 * (1 + t) and

        g'(x) = 0.5 * (1 - t**2) * sqrt(2/pi) * (1 + 3 * 0.044715 * x**2)

    Do not modify dout. gelu_backward may be called more than once with the
    same cache: return a new array every time and leave the cache as it
    was.

    Inputs:
    - dout: Upstream derivatives, of the same shape as x
    - cache: Whatever gelu_forward returned

    Returns:
    - dx: Gradient with respect to x, of the same shape as x

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of gelu_forward on float64 inputs
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0), for x of
    1, 2 and 3 dimensions, each with approximate="none" (passed, and left
    out) and with approximate="tanh"; that dout is not modified; that the
    same inputs give the same outputs, and that gelu_backward called twice
    with one cache gives the same dx both times (every backward returns
    fresh arrays). Speed is shown beside the score but never counted in it.
    """
    raise NotImplementedError("gelu_backward: not started")


def silu_forward(x):
    """Sigmoid linear unit (SiLU, also called swish), forward pass.

        out = x * sigmoid(x) = x / (1 + exp(-x)), elementwise

    Make it stable: exp(-x) overflows to inf for x below about -709, with
    a RuntimeWarning (even though x / (1 + inf) comes out right), and
    x * exp(x) / (1 + exp(x)) gives nan at large x. Take the sigmoid as a
    stable sigmoid does, only ever taking exp of a number <= 0: with
    e = exp(-|x|), sigmoid(x) = 1 / (1 + e) where x >= 0 and e / (1 + e)
    where x < 0. Beware np.where(cond, a, b) with a and b written in x:
    numpy computes both on every element, so the branch not taken still
    overflows and warns. x = 1000 must give 1000.0 and x = -1000 must give
    0.0, with no warning. x may have any shape. Do not modify x.

    Inputs:
    - x: Input data, of any shape

    Returns a tuple of:
    - out: Output data, of the same shape as x
    - cache: Whatever silu_backward needs; the grader only hands it back
      to silu_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    1, 2 and 3 dimensions; that x is not modified; that the same inputs give
    the same outputs. Edge case: x holding -1000, 1000 and values in between
    gives finite values (1000.0 at 1000, 0.0 at -1000) and no warnings. All
    inputs are float64. Speed is shown beside the score but never counted in
    it.
    """
    raise NotImplementedError("silu_forward: not started")


def silu_backward(dout, cache):
    """SiLU, backward pass.

    out = x * s with s = sigmoid(x) and s' = s * (1 - s), so by the
    product rule

        dx = dout * (s + x * s * (1 - s))

    Both terms count: dout * s alone forgets that the gate depends on x.
    Do not modify dout. silu_backward may be called more than once with the
    same cache: return a new array every time and leave the cache as it
    was.

    Inputs:
    - dout: Upstream derivatives, of the same shape as x
    - cache: Whatever silu_forward returned

    Returns:
    - dx: Gradient with respect to x, of the same shape as x

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of silu_forward on float64 inputs
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0), for x of
    1, 2 and 3 dimensions; that dout is not modified; that the same inputs
    give the same outputs, and that silu_backward called twice with one
    cache gives the same dx both times (every backward returns fresh
    arrays). Speed is shown beside the score but never counted in it.
    """
    raise NotImplementedError("silu_backward: not started")
