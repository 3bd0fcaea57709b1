# expect-fail: backward gradient shapes
"""dx cropped as dx_pad[:, :, pad:-pad, pad:-pad], which is empty when pad = 0."""
import numpy as np


def depthwise_conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, _, HH, WW = w.shape
    xp = np.pad(x, ((0,), (0,), (pad,), (pad,)))
    Ho = 1 + (H + 2 * pad - HH) // stride
    Wo = 1 + (W + 2 * pad - WW) // stride
    out = np.zeros((N, C, Ho, Wo))
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    out[n, c, i, j] = np.sum(xp[n, c, i * stride:i * stride + HH, j * stride:j * stride + WW]
                                             * w[c, 0]) + b[c]
    return out, (x, w, b, stride, pad)


def depthwise_conv2d_backward(dout, cache):
    x, w, b, stride, pad = cache
    N, C, H, W = x.shape
    _, _, HH, WW = w.shape
    xp = np.pad(x, ((0,), (0,), (pad,), (pad,)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    _, _, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            db[c] += dout[n, c].sum()
            for i in range(Ho):
                for j in range(Wo):
                    sl = (n, c, slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW))
                    dw[c, 0] += xp[sl] * dout[n, c, i, j]
                    dxp[sl] += w[c, 0] * dout[n, c, i, j]
    dx = dxp[:, :, pad:-pad, pad:-pad]
    return dx, dw, db
