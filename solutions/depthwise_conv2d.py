"""Reference solution for the depthwise_conv2d kata: each channel convolved with a kernel of its own.

A depthwise convolution is C separate single-channel convolutions: channel c of the output sees channel c of
the input only, through the one kernel w[c, 0]. Nothing sums over channels, so there is no matrix product as in
conv2d's im2col: the work is HH*WW multiply-adds of whole strided slices, one per kernel offset (k, l), each
slice holding that offset's input pixel of every window at once. The backward differentiates each of them.
"""

import numpy as np


def _slices(HH, WW, stride, H_out, W_out):
    """Yield (k, l, index): x_pad[index], of shape (N, C, H', W'), holds x_pad[n, c, i*stride + k, j*stride + l]."""
    for k, l in np.ndindex(HH, WW):
        yield k, l, np.s_[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride]


def depthwise_conv2d_forward(x, w, b, stride=1, pad=0):
    """Forward pass of a depthwise 2-D convolution (PyTorch's Conv2d with
    groups=C and C output channels).

    Each of the C channels is convolved with a kernel of its own, and with
    no other channel: channels are never mixed (that is what a 1x1
    convolution after it is for, in a depthwise-separable block).

    Inputs:
    - x: Input data of shape (N, C, H, W)
    - w: Filter weights of shape (C, 1, HH, WW), PyTorch's weight for
      Conv2d(C, C, (HH, WW), groups=C): w[c, 0] is channel c's kernel (the
      axis of size 1 is the one input channel each kernel sees)
    - b: Biases of shape (C,), one per channel
    - stride: Number of pixels between neighbouring windows, the same along
      the height and the width (an int >= 1)
    - pad: Number of zeros added on every side of each channel (top, bottom,
      left and right) before sliding (an int >= 0)

    Returns a tuple of:
    - out: Output data of shape (N, C, H', W'), where
        H' = 1 + (H + 2*pad - HH) // stride
        W' = 1 + (W + 2*pad - WW) // stride
      and, with x_pad the zero-padded x of shape (N, C, H + 2*pad, W + 2*pad),
        out[n, c, i, j] = b[c] + sum over k, l of
                          w[c, 0, k, l] * x_pad[n, c, i*stride + k, j*stride + l]
      (no sum over channels)
    - cache: Anything you like; it is only handed back, unchanged, to your
      depthwise_conv2d_backward.

    Conventions (those of conv2d):
    - Cross-correlation, as in PyTorch: the kernel is NOT flipped;
      w[c, 0, 0, 0] meets the top-left pixel of each window.
    - Zero padding of `pad` pixels on every side; pad may be 0.
    - When the stride does not divide H + 2*pad - HH, round down (the floor
      above); likewise for the width.
    - Nothing has to be square: H may differ from W and HH from WW.
    - Do not modify x, w or b in place.

    What is graded: all inputs are float64, and two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0. Checked: the shape of out, and
    its values against the reference solution, for (stride, pad) of (1, 0),
    (1, 1) and (2, 1); the edge cases, each for shape, values and all three
    gradients: a stride that does not divide (floor), a 1x1 kernel, C = 1
    (an ordinary one-channel convolution), and a non-square kernel
    (HH != WW) with H != W; x, w and b not modified; the same inputs giving
    the same outputs. Speed is measured and shown beside the score, never
    scored.
    """
    N, C, H, W = x.shape
    _, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=np.result_type(x, w, 1.0))
    x_pad[:, :, pad:pad + H, pad:pad + W] = x
    out = np.zeros((N, C, H_out, W_out), dtype=x_pad.dtype)
    for k, l, index in _slices(HH, WW, stride, H_out, W_out):
        # Channel c's weight at (k, l) times channel c's pixel at that offset of every window: the weight
        # is broadcast along the channel axis, never summed over it.
        out += w[:, 0, k, l][None, :, None, None] * x_pad[index]
    out += b[None, :, None, None]
    return out, (x_pad, w, stride, pad)


def depthwise_conv2d_backward(dout, cache):
    """Backward pass of a depthwise 2-D convolution.

    Inputs:
    - dout: Upstream derivatives of shape (N, C, H', W')
    - cache: Whatever your depthwise_conv2d_forward returned as cache

    Returns a tuple of, in this order:
    - dx: Gradient with respect to x, of shape (N, C, H, W), without the
      padding; channel c's gradient comes from channel c of dout only
    - dw: Gradient with respect to w, of shape (C, 1, HH, WW), the shape of
      w with its axis of size 1
    - db: Gradient with respect to b, of shape (C,): channel c's bias gets
      the sum of channel c of dout, over samples and positions (not over
      channels)
    All three are fresh arrays: backward may be called more than once with
    the same cache, and must then give the same gradients (do not change
    the cache in place).

    Conventions: sum, never average, over samples and output positions;
    where windows overlap, an input pixel's gradient is the sum over every
    window that covers it; the gradient landing on the zero padding is
    dropped. Do not modify dout in place.

    What is graded: dx, dw and db must have the shapes above and agree (by
    the agreement rule of depthwise_conv2d_forward) both with the reference
    solution and with central-difference numerical gradients of your own
    depthwise_conv2d_forward, for the same settings and edge cases; dout
    not modified; the same inputs giving the same outputs, and backward
    called twice with one cache giving the same gradients. Speed is
    measured and shown beside the score, never scored.
    """
    x_pad, w, stride, pad = cache
    _, _, HH, WW = w.shape
    N, C, H_out, W_out = dout.shape
    dx_pad = np.zeros(x_pad.shape, dtype=np.result_type(dout, w))
    dw = np.zeros(w.shape, dtype=dx_pad.dtype)
    for k, l, index in _slices(HH, WW, stride, H_out, W_out):
        # out += w[c, 0, k, l] * x_pad[index], differentiated on each side:
        dw[:, 0, k, l] = np.einsum("nchw,nchw->c", dout, x_pad[index])  # sum over n, i, j; never over c
        dx_pad[index] += w[:, 0, k, l][None, :, None, None] * dout  # "+=": overlapping windows add up
    db = dout.sum(axis=(0, 2, 3))
    H, W = x_pad.shape[2] - 2 * pad, x_pad.shape[3] - 2 * pad
    return dx_pad[:, :, pad:pad + H, pad:pad + W].copy(), dw, db
