"""Reference solution for the avgpool kata: window and global average pooling of (N, C, H, W) data.

Average pooling is linear: out is a sum of shifted, strided slices of x divided by the window's size, so the
forward adds pool_height*pool_width slices (one per offset inside the window) and the backward, its adjoint,
adds dout / (pool_height*pool_width) back into the same slices of dx. No loop runs over samples, channels or
output positions; the only loop visits the offsets inside one window.
"""

import numpy as np


def _window_offsets(pool_height, pool_width, stride, H_out, W_out):
    """Yield, for each offset (i, j) inside the window, the index into x of the (N, C, H', W') slice
    holding x[n, c, stride*h + i, stride*w + j]."""
    for i, j in np.ndindex(pool_height, pool_width):
        yield np.s_[:, :, i:i + stride * H_out:stride, j:j + stride * W_out:stride]


def avgpool_forward(x, pool_height=2, pool_width=2, stride=2):
    """Average pooling over windows, forward pass.

    Each output is the mean of one pool_height x pool_width window of its
    channel:

        out[n, c, h, w] = mean of x[n, c, h*stride : h*stride + pool_height,
                                          w*stride : w*stride + pool_width]

    that is, the window's sum divided by pool_height * pool_width. There is
    no padding (PyTorch's AvgPool2d with padding=0). Windows that do not fit
    entirely inside x are left out, so the output size is rounded down (as
    PyTorch's default, ceil_mode=False):

        H' = 1 + (H - pool_height) // stride
        W' = 1 + (W - pool_width) // stride

    The stride may be smaller than the pool size, so that windows overlap,
    and the pool need not be square. Do not modify x.

    Inputs:
    - x: Input data, of shape (N, C, H, W)
    - pool_height: Height of each pooling window; default 2
    - pool_width: Width of each pooling window; default 2
    - stride: Distance between adjacent windows, the same vertically and
      horizontally; default 2

    Returns a tuple of:
    - out: Output data, of shape (N, C, H', W')
    - cache: Whatever avgpool_backward needs; the grader only hands it back
      to avgpool_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0), for
    pools of 2x2 with stride 2, 3x2 with stride 2 and 2x3 with stride 3;
    that x is not modified; that the same inputs give the same outputs.
    Edge cases, each for shape, values and dx: overlapping windows (a 3x3
    pool with stride 1), sizes where the windows do not tile x (the floor
    above), and the default parameters (called with x alone). All inputs
    are float64. Speed is shown beside the score but never counted in it.
    """
    H, W = x.shape[2:]
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.zeros((*x.shape[:2], H_out, W_out), dtype=np.result_type(x, 1.0))
    for index in _window_offsets(pool_height, pool_width, stride, H_out, W_out):
        out += x[index]  # every window's element at this offset, all windows at once
    out /= pool_height * pool_width
    return out, (x.shape, pool_height, pool_width, stride)


def avgpool_backward(dout, cache):
    """Average pooling over windows, backward pass.

    Each input of a window contributes 1 / (pool_height * pool_width) of
    that window's output, so each window sends dout[n, c, h, w] /
    (pool_height * pool_width) to every input it covers. When windows
    overlap (stride < pool size), an input covered by several windows gets
    the sum of what each sends: contributions add up, none overwrites
    another. Inputs that no window covers (the rows and columns left out by
    the floor) get 0.

    Inputs:
    - dout: Upstream derivatives, of shape (N, C, H', W')
    - cache: Whatever avgpool_forward returned

    Returns:
    - dx: Gradient with respect to x, of shape (N, C, H, W), a fresh array:
      backward may be called more than once with the same cache, and must
      then give the same dx (do not change the cache in place).

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of avgpool_forward on float64
    inputs (two arrays agree when their shapes are equal and max|a - b|
    <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the
    largest magnitude among the check's inputs (dout included), at least 1:
    an exact 0 that your formula computes as rounding noise agrees with 0),
    for the configurations of avgpool_forward and its edge cases
    (overlapping windows add up; untouched rows and columns get 0); that
    dout is not modified; that the same inputs give the same outputs, and
    that backward called twice with one cache gives the same dx. Speed is
    shown beside the score but never counted in it.
    """
    x_shape, pool_height, pool_width, stride = cache
    H_out, W_out = dout.shape[2:]
    share = dout / (pool_height * pool_width)  # what each window sends to each of its inputs
    dx = np.zeros(x_shape, dtype=share.dtype)
    for index in _window_offsets(pool_height, pool_width, stride, H_out, W_out):
        dx[index] += share  # "+=": where windows overlap, an input collects from every window covering it
    return dx


def global_avgpool_forward(x):
    """Global average pooling, forward pass.

    Each channel of each sample is averaged over all its H * W positions,
    the spatial axes 2 and 3 (PyTorch's AdaptiveAvgPool2d(1), flattened):

        out[n, c] = mean over h, w of x[n, c, h, w]

    H and W may differ, and may be 1. Do not modify x.

    Inputs:
    - x: Input data, of shape (N, C, H, W)

    Returns a tuple of:
    - out: Output data, of shape (N, C): the two spatial axes are gone, not
      kept as (N, C, 1, 1)
    - cache: Whatever global_avgpool_backward needs; the grader only hands
      it back to global_avgpool_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0), for x of
    several shapes (H != W among them, and C equal to W, so that averaging
    over the wrong axes shows even where the shape comes out right); that x
    is not modified; that the same inputs give the same outputs. Edge case,
    for shape, values and dx: H = W = 1 (out is x[:, :, 0, 0]). All inputs
    are float64. Speed is shown beside the score but never counted in it.
    """
    return x.mean(axis=(2, 3)), x.shape


def global_avgpool_backward(dout, cache):
    """Global average pooling, backward pass.

    Every position of a channel contributes 1 / (H * W) of its mean, so

        dx[n, c, h, w] = dout[n, c] / (H * W)

    Inputs:
    - dout: Upstream derivatives, of shape (N, C)
    - cache: Whatever global_avgpool_forward returned

    Returns:
    - dx: Gradient with respect to x, of shape (N, C, H, W), a fresh
      array (a read-only broadcast of one is fine): backward may be called
      more than once with the same cache, and must then give the same dx.

    What is graded: the shape of dx; dx against the reference and against
    central-difference numerical gradients of global_avgpool_forward on
    float64 inputs (by the agreement rule of global_avgpool_forward), for
    the same shapes and edge case; that dout is not modified; that the same
    inputs give the same outputs, and that backward called twice with one
    cache gives the same dx. Speed is shown beside the score but never
    counted in it.
    """
    N, C, H, W = cache
    # One value per channel, spread evenly over its H*W positions; the copy makes it a writable array of
    # its own (np.broadcast_to alone gives a read-only view).
    return np.broadcast_to((dout / (H * W))[:, :, None, None], cache).copy()
