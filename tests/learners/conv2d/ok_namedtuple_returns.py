# expect: pass
"""Forward returns a namedtuple ConvOutput(out, cache) and backward a namedtuple ConvGrads(dx, dw, db),
because named fields read better than positions (grads.dw instead of grads[1]) and a namedtuple still
unpacks like the plain tuple the docstring asks for."""
from collections import namedtuple

import numpy as np

ConvOutput = namedtuple("ConvOutput", ["out", "cache"])
ConvGrads = namedtuple("ConvGrads", ["dx", "dw", "db"])
ConvCache = namedtuple("ConvCache", ["x_pad", "w", "stride", "pad"])


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            patch = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]   # (N, C, HH, WW)
            out[:, :, i, j] = patch.reshape(N, -1) @ w.reshape(F, -1).T + b
    return ConvOutput(out=out, cache=ConvCache(x_pad, w, stride, pad))


def conv2d_backward(dout, cache):
    N, F, H_out, W_out = dout.shape
    _, C, HH, WW = cache.w.shape
    stride, pad = cache.stride, cache.pad
    w_rows = cache.w.reshape(F, -1)
    dx_pad = np.zeros_like(cache.x_pad)
    dw_rows = np.zeros_like(w_rows)
    for i in range(H_out):
        for j in range(W_out):
            rows = slice(i * stride, i * stride + HH)
            cols = slice(j * stride, j * stride + WW)
            patch = cache.x_pad[:, :, rows, cols].reshape(N, -1)
            dw_rows += dout[:, :, i, j].T @ patch
            dx_pad[:, :, rows, cols] += (dout[:, :, i, j] @ w_rows).reshape(N, C, HH, WW)
    H, W = dx_pad.shape[2] - 2 * pad, dx_pad.shape[3] - 2 * pad
    return ConvGrads(dx=dx_pad[:, :, pad:pad + H, pad:pad + W],
                     dw=dw_rows.reshape(cache.w.shape),
                     db=dout.sum(axis=(0, 2, 3)))
