"""Reference solution for the maxpool kata: 2-D max pooling of (N, C, H, W) data."""

import numpy as np


def _window_offsets(pool_height, pool_width, stride, H_out, W_out):
    """Yield (k, index) for each offset (i, j) inside the pool window, in
    row-major order (k = i*pool_width + j); x[index] has shape
    (N, C, H_out, W_out) and holds x[n, c, stride*h + i, stride*w + j]."""
    for k, (i, j) in enumerate(np.ndindex(pool_height, pool_width)):
        yield k, np.s_[:, :, i : i + stride * H_out : stride, j : j + stride * W_out : stride]


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
    H, W = x.shape[2:]
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = argmax = None
    for k, index in _window_offsets(pool_height, pool_width, stride, H_out, W_out):
        if out is None:
            out = x[index].copy()  # our own array from here on: the maxima are taken into it in place
            # argmax[n, c, h, w]: the offset k of the window's maximum so far, in the smallest
            # integer type that holds every offset (a quarter of int32's memory traffic for 2x2).
            argmax = np.zeros(out.shape, dtype=np.min_scalar_type(pool_height * pool_width - 1))
            continue
        x_k = np.ascontiguousarray(x[index])  # numpy is several times faster on contiguous arrays
        # Offsets arrive in row-major order and only a STRICTLY larger value takes
        # over, so ties keep the first maximum; k only grows, hence the maximum.
        np.maximum(argmax, (x_k > out) * argmax.dtype.type(k), out=argmax)
        np.maximum(out, x_k, out=out)
    return out, (x.shape, pool_height, pool_width, stride, argmax)


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
    x_shape, pool_height, pool_width, stride, argmax = cache
    N, C, H, W = x_shape
    H_out, W_out = dout.shape[2:]
    # Where each window's maximum sits in x, as an index into x.ravel(): the
    # window's top-left corner plus the offset of the maximum inside the window.
    corners = (np.arange(N * C)[:, None, None] * H + stride * np.arange(H_out)[:, None]) * W + stride * np.arange(W_out)
    offsets = (np.arange(pool_height)[:, None] * W + np.arange(pool_width)).ravel()
    maxima = corners + offsets[argmax.reshape(N * C, H_out, W_out)]
    # A scatter-add: bincount sums the gradients sent to each index, so an input
    # that is the maximum of several overlapping windows gets all of them, and
    # an input no window chose gets 0. (np.add.at does the same, several times slower.)
    dx = np.bincount(maxima.ravel(), weights=dout.ravel(), minlength=N * C * H * W)
    return dx.reshape(x_shape).astype(dout.dtype, copy=False)  # bincount sums in float64
