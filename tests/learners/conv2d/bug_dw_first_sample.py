# expect-fail: gradient dw
"""dw taken from the first sample only, because the layer was first written and tested
for a single image and the sum over the batch never added."""
import numpy as np


def _cols(x_pad, HH, WW, stride, H_out, W_out):
    # (N, H', W', C*HH*WW): one row per output position
    N, C = x_pad.shape[:2]
    cols = np.empty((N, H_out, W_out, C, HH, WW))
    for k in range(HH):
        for l in range(WW):
            cols[..., k, l] = x_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride].transpose(0, 2, 3, 1)
    return cols.reshape(N, H_out, W_out, -1)


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = _cols(x_pad, HH, WW, stride, H_out, W_out)
    out = (cols @ w.reshape(F, -1).T + b).transpose(0, 3, 1, 2)
    return out, (x.shape, cols, w, stride, pad)


def conv2d_backward(dout, cache):
    (N, C, H, W), cols, w, stride, pad = cache
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    d = dout.transpose(0, 2, 3, 1)                         # (N, H', W', F)
    db = d.sum(axis=(0, 1, 2))
    dw = (d[0].reshape(-1, F).T @ cols[0].reshape(-1, C * HH * WW)).reshape(w.shape)
    dcols = (d @ w.reshape(F, -1)).reshape(N, H_out, W_out, C, HH, WW)
    dx_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    for k in range(HH):
        for l in range(WW):
            dx_pad[:, :, k:k + stride * H_out:stride, l:l + stride * W_out:stride] += dcols[..., k, l].transpose(0, 3, 1, 2)
    return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, db
