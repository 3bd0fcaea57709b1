# expect-fail: forward values; gradient dx; gradient dw; N = 1 and C = 1; non-square input and kernel; kernel covers the whole padded input
# diagnosis: padding on one side only
"""All 2*pad zeros put before each row and column, np.pad(x, ((0, 0), (0, 0), (2*pad, 0), (2*pad, 0))),
because the output-size formula H + 2*pad - HH only says "2*pad more rows" and the learner pictured
the zeros as a margin at the top-left, where the first windows start; the backward crops the same
margin off, so it is consistent with that forward."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_forward(x, w, b, stride=1, pad=0):
    F, C, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (2 * pad, 0), (2 * pad, 0)))
    windows = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))          # (N, H', W', F)
    out = out.transpose(0, 3, 1, 2) + b.reshape(1, F, 1, 1)
    return out, (x_pad, w, stride, pad)


def conv2d_backward(dout, cache):
    x_pad, w, stride, pad = cache
    F, C, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    windows = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))       # (F, C, HH, WW)
    db = dout.sum(axis=(0, 2, 3))
    dx_pad = np.zeros_like(x_pad)
    for k in range(HH):
        for l in range(WW):
            contribution = np.tensordot(dout, w[:, :, k, l], axes=([1], [0]))   # (N, H', W', C)
            dx_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride] += \
                contribution.transpose(0, 3, 1, 2)
    dx = dx_pad[:, :, 2 * pad:, 2 * pad:]
    return dx, dw, db
