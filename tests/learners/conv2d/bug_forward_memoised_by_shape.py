# expect-fail: gradient dx; gradient dw; gradient db; stride that does not divide (floor); 1x1 kernel; N = 1 and C = 1; non-square input and kernel; kernel covers the whole padded input
"""The forward keeps its outputs in a module-level dict keyed by (x.shape, w.shape, stride, pad)
"to avoid recomputing", because the learner's notebook reruns the same layer on the same batch
over and over and the key looked like it identified the computation; but the key says nothing
about the values, so every later call of a configuration gets the first call's output back. At the
graded inputs (each configuration's first call) the output is right, and so is the backward; the
numerical gradients, taken at nudged inputs of the same shapes, see a constant function."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_OUTPUTS = {}


def conv2d_forward(x, w, b, stride=1, pad=0):
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cache = (x_pad, w, stride, pad)
    key = (x.shape, w.shape, stride, pad)
    if key in _OUTPUTS:
        return _OUTPUTS[key].copy(), cache
    F, C, HH, WW = w.shape
    windows = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("nchwkl,fckl->nfhw", windows, w) + b[None, :, None, None]
    _OUTPUTS[key] = out.copy()
    return out, cache


def conv2d_backward(dout, cache):
    x_pad, w, stride, pad = cache
    F, C, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    windows = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nfhw,nchwkl->fckl", dout, windows)
    db = dout.sum(axis=(0, 2, 3))
    dx_pad = np.zeros_like(x_pad)
    for k in range(HH):
        for l in range(WW):
            dx_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride] += \
                np.einsum("nfhw,fc->nchw", dout, w[:, :, k, l])
    H, W = x_pad.shape[2] - 2 * pad, x_pad.shape[3] - 2 * pad
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
