# expect-fail: gradient db
# diagnosis: db summed over channels
"""db accumulated from the whole position, dout[n, :, i, j].sum(), inside the channel loop, as a linear layer's per-row bias sum is written: every channel's bias gets every channel's gradient."""
import numpy as np


def depthwise_conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    H_out = (H + 2 * pad - HH) // stride + 1
    W_out = (W + 2 * pad - WW) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, c, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, c, i, j] = np.sum(window * w[c, 0]) + b[c]
    return out, (x, w, b, stride, pad)


def depthwise_conv2d_backward(dout, cache):
    x, w, b, stride, pad = cache
    N, C, H, W = x.shape
    _, _, HH, WW = w.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for n in range(N):
        for c in range(C):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows, cols = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
                    dw[c, 0] += x_pad[n, c, rows, cols] * dout[n, c, i, j]
                    dx_pad[n, c, rows, cols] += w[c, 0] * dout[n, c, i, j]
                    db[c] += dout[n, :, i, j].sum()
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
