# expect-fail: gradient db
# diagnosis: db averaged over the batch
"""db averaged over the batch instead of summed, because the loss is a batch mean and
the 1/N feels like it belongs in every gradient."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_forward(x, w, b, stride=1, pad=0):
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    _, _, HH, WW = w.shape
    win = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("nchwkl,fckl->nfhw", win, w) + b[:, None, None]
    return out, (x_pad, w, stride, pad)


def conv2d_backward(dout, cache):
    x_pad, w, stride, pad = cache
    _, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    win = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::stride, ::stride]
    dw = np.einsum("nfhw,nchwkl->fckl", dout, win)
    db = dout.sum(axis=(2, 3)).mean(axis=0)
    dx_pad = np.zeros_like(x_pad)
    for k in range(HH):
        for l in range(WW):
            dx_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride] += \
                np.einsum("nfhw,fc->nchw", dout, w[:, :, k, l])
    H, W = x_pad.shape[2] - 2 * pad, x_pad.shape[3] - 2 * pad
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
