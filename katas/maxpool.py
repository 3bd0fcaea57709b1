"""Kata maxpool: 2-D max pooling, forward and backward.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader maxpool

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/maxpool.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    """Max pooling, forward pass.

    Each output is the maximum of one pool_height x pool_width window of
    its channel:

        out[n, c, h, w] = max of x[n, c, h*stride : h*stride + pool_height,
                                         w*stride : w*stride + pool_width]

    Windows that do not fit entirely inside x are left out, so the output
    size is rounded down (as PyTorch's default):

        H' = 1 + (H - pool_height) // stride
        W' = 1 + (W - pool_width) // stride

    The stride may be smaller than the pool size, so that windows
    overlap, and the pool need not be square. Do not modify x.

    Inputs:
    - x: Input data, of shape (N, C, H, W)
    - pool_height: Height of each pooling window; default 2
    - pool_width: Width of each pooling window; default 2
    - stride: Distance between adjacent windows, the same vertically and
      horizontally; default 2

    Returns a tuple of:
    - out: Output data, of shape (N, C, H', W')
    - cache: Whatever maxpool_backward needs; the grader only hands it
      back to maxpool_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0); that x is
    not modified; that the same inputs give the same outputs. Edge cases:
    overlapping windows (stride < pool size), and sizes where the windows do
    not tile x exactly (the floor above). All inputs are float64. Speed is
    shown beside the score but never counted in it.
    """
    raise NotImplementedError("maxpool_forward: not started")


def maxpool_backward(dout, cache):
    """Max pooling, backward pass.

    Each window sends its whole gradient dout[n, c, h, w] to exactly one
    input: its maximum. Where several inputs of the window tie for the
    maximum, the gradient goes to the first of them in row-major order
    within the window (the smallest row, then the smallest column), as
    np.argmax over the flattened window would pick; the other inputs get
    nothing from that window. When windows overlap, an input can be the
    maximum of several windows: its gradients from all of them add up.
    Inputs that are the maximum of no window get 0.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H', W')
    - cache: Whatever maxpool_forward returned

    Returns:
    - dx: Gradient with respect to x, of shape (N, C, H, W)

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of maxpool_forward on float64
    inputs without ties (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0); that dout is not modified; that the same inputs give the
    same outputs. Edge cases: ties (the first maximum in row-major order
    takes it all), overlapping windows (gradients add up), and sizes where
    the windows do not tile x exactly (untouched rows and columns get 0).
    Speed is shown beside the score but never counted in it.
    """
    raise NotImplementedError("maxpool_backward: not started")
