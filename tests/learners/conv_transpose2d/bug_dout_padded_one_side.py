# expect-fail: gradient dx; gradient dw
"""dout put back in the full output at the top-left corner, all 2*pad on the bottom and right: the crop of the forward undone on the wrong sides."""
import numpy as np


def conv_transpose2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    C2, F, HH, WW = w.shape
    Ho = (H - 1) * stride - 2 * pad + HH
    Wo = (W - 1) * stride - 2 * pad + WW
    full = np.zeros((N, F, Ho + 2 * pad, Wo + 2 * pad))
    for n in range(N):
        for c in range(C):
            for i in range(H):
                for j in range(W):
                    full[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += x[n, c, i, j] * w[c]
    out = full[:, :, pad:pad + Ho, pad:pad + Wo].copy()
    for f in range(F):
        out[:, f] += b[f]
    return out, (x, w, b, stride, pad)


def conv_transpose2d_backward(dout, cache):
    x, w, b, stride, pad = cache
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    dfull = np.pad(dout, ((0, 0), (0, 0), (0, 2 * pad), (0, 2 * pad)))
    dx, dw = np.zeros_like(x), np.zeros_like(w)
    for n in range(N):
        for i in range(H):
            for j in range(W):
                patch = dfull[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]  # (F, HH, WW)
                for c in range(C):
                    dx[n, c, i, j] = np.sum(patch * w[c])
                    dw[c] += x[n, c, i, j] * patch
    db = np.sum(dout, axis=(0, 2, 3))
    return dx, dw, db
