"""Reference solution for the linear kata: a fully connected layer on (N, d_1, ..., d_k) data."""

import numpy as np


def linear_forward(x, w, b):
    """Fully connected (affine) layer, forward pass.

    Each example x[i] may have any number of dimensions d_1, ..., d_k: it
    is flattened, in numpy's row-major order (x.reshape), into a row of
    D = d_1 * ... * d_k numbers, and then

        out = x_flat @ w + b, where x_flat = x reshaped to (N, D)

    This holds for 2-D x too (then D = d_1), for N = 1 and for M = 1.
    Do not modify x, w or b.

    Inputs:
    - x: Input data, of shape (N, d_1, ..., d_k)
    - w: Weights, of shape (D, M)
    - b: Biases, of shape (M,)

    Returns a tuple of:
    - out: Output data, of shape (N, M)
    - cache: Whatever linear_backward needs; the grader only hands it
      back to linear_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    2, 3 and 4 dimensions; that x, w and b are not modified; that the same
    inputs give the same outputs. Edge cases: N = 1 (with a 3-D x), M = 1,
    and a square w (D = M, where a transposed w would still fit). All
    inputs are float64. Speed is shown beside the score but never counted
    in it.
    """
    x_flat = x.reshape(x.shape[0], -1)  # (N, D): each example's dims flattened row-major
    out = x_flat @ w + b
    return out, (x, w)


def linear_backward(dout, cache):
    """Fully connected (affine) layer, backward pass.

    With x_flat = x reshaped to (N, D) as in the forward pass:

        dx = dout @ w.T, reshaped back to the shape of x
        dw = x_flat.T @ dout
        db = dout summed over the batch axis (a sum, not a mean: every
             example adds b to its output, so every example's gradient
             counts in full)

    Inputs:
    - dout: Upstream derivatives, of shape (N, M)
    - cache: Whatever linear_forward returned

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (N, d_1, ..., d_k), the
      shape of x (not (N, D))
    - dw: Gradient with respect to w, of shape (D, M)
    - db: Gradient with respect to b, of shape (M,)

    What is graded: the shapes of dx, dw and db; all three against the
    reference and against central-difference numerical gradients of
    linear_forward on float64 inputs (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), for x of 2, 3 and 4 dimensions; that dout
    is not modified; that the same inputs give the same outputs. Edge cases:
    N = 1 (with a 3-D x), M = 1 and a square w (D = M). Speed is shown
    beside the score but never counted in it.
    """
    x, w = cache
    x_flat = x.reshape(x.shape[0], -1)
    dx = (dout @ w.T).reshape(x.shape)  # back to the shape x came in
    dw = x_flat.T @ dout
    db = dout.sum(axis=0)  # b is added to every example: their gradients add up
    return dx, dw, db
