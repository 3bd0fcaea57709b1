# expect-fail: forward output shape
# diagnosis: pad not cropped
"""pad handled as in conv2d, as zeros around the input, which for a transposed convolution is wrong twice over: the full output is returned and pad is never cropped from it."""
import numpy as np


def conv_transpose2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    full = np.zeros((N, F, (H - 1) * stride + HH, (W - 1) * stride + WW))
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    full[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += x[n, c, i, j] * w[c]
    out = full + b.reshape(1, F, 1, 1)
    return out, (x, w, stride, pad)


def conv_transpose2d_backward(dout, cache):
    x, w, stride, pad = cache
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    dfull = np.zeros((N, F, (H - 1) * stride + HH, (W - 1) * stride + WW))
    dfull[:, :, :, :] = dout
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    window = dfull[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    dx[n, c, i, j] = np.sum(window * w[c])
                    dw[c] += x[n, c, i, j] * window
    return dx, dw, dout.sum(axis=(0, 2, 3))
