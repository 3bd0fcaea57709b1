# expect-fail: forward output shape
# diagnosis: w read as (F, C, HH, WW)
"""w unpacked as F, C, HH, WW = w.shape, conv2d's layout, because the layer is "a conv2d run backwards"; PyTorch's ConvTranspose2d weight is (in_channels, out_channels, HH, WW)."""
import numpy as np


def conv_transpose2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    full = np.zeros((N, F, (H - 1) * stride + HH, (W - 1) * stride + WW))
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    full[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += x[n, c, i, j] * w[:, c]
    H_out, W_out = full.shape[2] - 2 * pad, full.shape[3] - 2 * pad
    out = full[:, :, pad:pad + H_out, pad:pad + W_out] + b.reshape(1, F, 1, 1)
    return out, (x, w, stride, pad)


def conv_transpose2d_backward(dout, cache):
    x, w, stride, pad = cache
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    dfull = np.zeros((N, F, (H - 1) * stride + HH, (W - 1) * stride + WW))
    dfull[:, :, pad:pad + dout.shape[2], pad:pad + dout.shape[3]] = dout
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    window = dfull[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    dx[n, c, i, j] = np.sum(window * w[:, c])
                    dw[:, c] += x[n, c, i, j] * window
    return dx, dw, dout.sum(axis=(0, 2, 3))
