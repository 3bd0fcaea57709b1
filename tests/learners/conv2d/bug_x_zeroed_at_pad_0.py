# expect-fail: inputs not modified
"""The forward skips np.pad when pad == 0 ("nothing to pad, save a copy") and caches x_pad, which is
then x itself; the backward, once dw is done, reuses that cached buffer as dx_pad ("x_pad has
exactly dx_pad's shape and is not needed any more, so no new allocation") and zeroes it. With
pad > 0 the buffer is the forward's private padded copy and nothing shows; with pad == 0 it is the
caller's x, which the backward zeroes and then fills with dx."""
import numpy as np


def conv2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    if pad == 0:
        x_pad = x                       # nothing to pad: skip the copy
    else:
        x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    w_row = w.reshape(F, -1)
    out = np.empty((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = window.reshape(N, -1) @ w_row.T + b
    return out, (x_pad, w, stride, pad)


def conv2d_backward(dout, cache):
    x_pad, w, stride, pad = cache
    N, C, Hp, Wp = x_pad.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    db = dout.sum(axis=(0, 2, 3))
    dw = np.zeros_like(w)
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            dw += np.tensordot(dout[:, :, i, j], window, axes=([0], [0]))
    # x_pad is not needed any more: reuse its memory for dx_pad instead of allocating another array
    dx_pad = x_pad
    dx_pad[...] = 0
    for i in range(H_out):
        for j in range(W_out):
            dx_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += \
                np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
    return dx_pad[:, :, pad:Hp - pad, pad:Wp - pad], dw, db
