# expect-fail: inputs not modified
"""b.shape = (1, F, 1, 1) to make the bias broadcast, because assigning .shape looks
like a harmless reshape but changes the caller's array."""
import numpy as np


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    b.shape = (1, F, 1, 1)
    out = np.zeros((N, F, H_out, W_out))
    for k in range(HH):
        for l in range(WW):
            xs = x_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride]
            out += np.einsum("nchw,fc->nfhw", xs, w[:, :, k, l])
    out += b
    return out, (x_pad, w, stride, pad)


def conv2d_backward(dout, cache):
    x_pad, w, stride, pad = cache
    F, C, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for k in range(HH):
        for l in range(WW):
            rows = slice(k, k + stride * H_out, stride)
            cols = slice(l, l + stride * W_out, stride)
            dw[:, :, k, l] = np.einsum("nfhw,nchw->fc", dout, x_pad[:, :, rows, cols])
            dx_pad[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, w[:, :, k, l])
    db = dout.sum(axis=(0, 2, 3))
    H, W = x_pad.shape[2] - 2 * pad, x_pad.shape[3] - 2 * pad
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
