# expect: pass
"""CS231n-style im2col: columns of shape (C*HH*WW, N*H'*W'), one matrix product, a dict
as the cache."""
import numpy as np


def _im2col_indices(C, HH, WW, H_out, W_out, stride):
    # Row r of the column matrix is (c, k, l); column q is (i, j) of the output.
    c = np.repeat(np.arange(C), HH * WW)[:, None]
    k = np.tile(np.repeat(np.arange(HH), WW), C)[:, None] + stride * np.repeat(np.arange(H_out), W_out)[None, :]
    l = np.tile(np.arange(WW), C * HH)[:, None] + stride * np.tile(np.arange(W_out), H_out)[None, :]
    return c, k, l


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    c, k, l = _im2col_indices(C, HH, WW, H_out, W_out, stride)
    cols = x_pad[:, c, k, l]                                  # (N, C*HH*WW, H'*W')
    cols = cols.transpose(1, 2, 0).reshape(C * HH * WW, -1)   # (C*HH*WW, H'*W'*N)
    out = w.reshape(F, -1) @ cols + b[:, None]                # (F, H'*W'*N)
    out = out.reshape(F, H_out, W_out, N).transpose(3, 0, 1, 2)
    cache = {"x_pad_shape": x_pad.shape, "cols": cols, "w": w, "stride": stride, "pad": pad}
    return out, cache


def conv2d_backward(dout, cache):
    w, stride, pad = cache["w"], cache["stride"], cache["pad"]
    N, C, Hp, Wp = cache["x_pad_shape"]
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    d = dout.transpose(1, 2, 3, 0).reshape(F, -1)             # (F, H'*W'*N)
    db = d.sum(axis=1)
    dw = (d @ cache["cols"].T).reshape(w.shape)
    dcols = (w.reshape(F, -1).T @ d).reshape(C * HH * WW, H_out * W_out, N).transpose(2, 0, 1)
    c, k, l = _im2col_indices(C, HH, WW, H_out, W_out, stride)
    dx_pad = np.zeros((N, C, Hp, Wp))
    np.add.at(dx_pad, (slice(None), c, k, l), dcols)         # col2im: overlapping windows add up
    dx = dx_pad[:, :, pad:Hp - pad, pad:Wp - pad]
    return dx, dw, db
