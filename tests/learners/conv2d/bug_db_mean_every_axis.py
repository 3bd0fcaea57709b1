# expect-fail: gradient db; stride that does not divide (floor); 1x1 kernel; N = 1 and C = 1; non-square input and kernel; kernel covers the whole padded input
# diagnosis: db averaged over every axis
"""db = dout.mean(axis=(0, 2, 3)), because "the bias gradient is the average upstream gradient per
filter" sounds right and mean() sits next to sum() in every numpy tutorial; each bias is added at
every output position of every sample, so its gradient is the sum over all of them."""
import numpy as np


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.empty((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.einsum("nckl,fckl->nf", window, w) + b
    return out, (x_pad, w, stride, pad)


def conv2d_backward(dout, cache):
    x_pad, w, stride, pad = cache
    _, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for i in range(H_out):
        for j in range(W_out):
            rows = slice(i * stride, i * stride + HH)
            cols = slice(j * stride, j * stride + WW)
            dw += np.einsum("nf,nckl->fckl", dout[:, :, i, j], x_pad[:, :, rows, cols])
            dx_pad[:, :, rows, cols] += np.einsum("nf,fckl->nckl", dout[:, :, i, j], w)
    db = dout.mean(axis=(0, 2, 3))
    H, W = x_pad.shape[2] - 2 * pad, x_pad.shape[3] - 2 * pad
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
