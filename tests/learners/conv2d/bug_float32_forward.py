# expect-fail: gradient dx; gradient dw; gradient db; stride that does not divide (floor); 1x1 kernel; N = 1 and C = 1; non-square input and kernel; kernel covers the whole padded input
"""The forward casts x, w and b to float32 before the loops, because deep-learning frameworks train
in float32 ("it halves the memory and it is what GPUs use") and the values still print the same to
six digits; out is returned as float32. The backward, written from the cached float64 arrays, is
right. At the graded inputs the output agrees with the reference to about 1e-7, but a central
difference with a step of 1e-5 divides float32 rounding (~1e-7 of the output) by 2e-5, so the
numerical gradient of this forward is noise and every gradient row fails on it."""
import numpy as np


def conv2d_forward(x, w, b, stride=1, pad=0):
    x32, w32, b32 = x.astype(np.float32), w.astype(np.float32), b.astype(np.float32)
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x32, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=np.float32)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w32[f]) + b32[f]
    return out, (x, w, stride, pad)


def conv2d_backward(dout, cache):
    x, w, stride, pad = cache
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    rows = slice(i * stride, i * stride + HH)
                    cols = slice(j * stride, j * stride + WW)
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, rows, cols]
                    dx_pad[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
