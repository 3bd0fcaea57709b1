"""Kata rope: rotary position embedding (RoPE), forward and backward.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader rope

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/rope.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def rope_forward(x, positions=None, base=10000.0):
    """Rotary position embedding (RoPE), forward pass, half-split pairing.

    x holds T positions of d features each, after any number of leading
    axes (batch, heads): shape (..., T, d), d even. The feature axis is cut
    in halves, and for each i < d/2 the pair (x_i, x_{i+d/2}), feature i of
    the first half with feature i of the second half (GPT-NeoX and Hugging
    Face LLaMA; NOT the neighbours x_{2i}, x_{2i+1} of the RoPE paper), is
    turned like a 2-D vector by the angle a = positions[t] * theta_i of its
    row t, with

        theta_i = base ** (-2*i/d),   i = 0, 1, ..., d/2 - 1

        out_i       = x_i * cos(a) - x_{i+d/2} * sin(a)
        out_{i+d/2} = x_i * sin(a) + x_{i+d/2} * cos(a)

    The same angles apply at every leading index. A rotation keeps lengths,
    and after it the dot product of a query at position m with a key at
    position n depends on the positions only through m - n.
    Do not modify x or positions.

    Inputs:
    - x: Input data, of shape (..., T, d): 2-D (T, d), 3-D (N, T, d),
      4-D (N, H, T, d), ...; d odd raises ValueError
    - positions: None (the default), meaning 0, 1, ..., T-1; or integers
      of shape (T,), the position of each row along the T axis, not
      necessarily contiguous nor starting at 0 (new tokens after a cache)
    - base: the frequency base, a positive float (default 10000.0)

    Returns a tuple of:
    - out: Rotated data, of the shape of x
    - cache: Whatever rope_backward needs; the grader only hands it back
      to rope_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    2, 3 and 4 dimensions with the default positions (given as None in one
    of them); that x and positions are not modified; that the same inputs
    give the same outputs. Edge cases: positions given (non-contiguous,
    [3, 7, 8, 20]); a base of 100.0; an odd d raises ValueError; relative
    positions: random q and k rotated at positions m and n, and again at
    m + 37 and n + 37, give the same scores rope(q) @ rope(k).T. All inputs
    are float64. Speed is shown beside the score but never counted in it.
    """
    raise NotImplementedError("rope_forward: not started")


def rope_backward(dout, cache):
    """Rotary position embedding, backward pass.

    The forward turns each pair (x_i, x_{i+d/2}) by the rotation R(a) of
    its angle a; the gradient turns the pairs of dout by the transpose,
    R(a)^T = R(-a), the rotation back:

        dx_i       =  dout_i * cos(a) + dout_{i+d/2} * sin(a)
        dx_{i+d/2} = -dout_i * sin(a) + dout_{i+d/2} * cos(a)

    Inputs:
    - dout: Upstream derivatives, of shape (..., T, d), the shape of out
    - cache: Whatever rope_forward returned

    Returns:
    - dx: Gradient with respect to x, of the shape of x (a fresh array)

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of rope_forward on float64
    inputs (two arrays agree when their shapes are equal and max|a - b|
    <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the
    largest magnitude among the check's inputs (dout included), at least 1:
    an exact 0 that your formula computes as rounding noise agrees with 0),
    for x of 2, 3 and 4 dimensions and on the edge cases (positions given,
    a base of 100.0); that dout is not modified; that the same inputs give
    the same outputs, and that backward, called twice with one cache, gives
    the same dx both times (every backward returns fresh arrays: never
    change the cache in place). Speed is shown beside the score but never
    counted in it.
    """
    raise NotImplementedError("rope_backward: not started")
