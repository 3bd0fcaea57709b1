# expect: pass
"""The forward as one strided slice-add per kernel tap; backward's dx as an as_strided conv2d of dout with w read as conv2d's weight (the adjoint), dw per tap by einsum."""
import numpy as np


def _conv2d(x, w, stride, pad):
    # x (N, C, H, W), w (F, C, HH, WW)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    F, C, HH, WW = w.shape
    N, _, Hp, Wp = xp.shape
    Ho, Wo = 1 + (Hp - HH) // stride, 1 + (Wp - WW) // stride
    s = xp.strides
    win = np.lib.stride_tricks.as_strided(xp, (N, C, Ho, Wo, HH, WW),
                                          (s[0], s[1], s[2] * stride, s[3] * stride, s[2], s[3]))
    return np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)


def conv_transpose2d_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    Ho, Wo = (H - 1) * stride - 2 * pad + HH, (W - 1) * stride - 2 * pad + WW
    full = np.zeros((N, F, Ho + 2 * pad, Wo + 2 * pad))
    for k in range(HH):
        for l in range(WW):
            full[:, :, k:k + (H - 1) * stride + 1:stride, l:l + (W - 1) * stride + 1:stride] += \
                np.einsum("nchw,cf->nfhw", x, w[:, :, k, l])
    out = full[:, :, pad:pad + Ho, pad:pad + Wo] + b.reshape(1, -1, 1, 1)
    return out, (x, w, stride, pad)


def conv_transpose2d_backward(dout, cache):
    x, w, stride, pad = cache
    dx = _conv2d(dout, w, stride, pad)  # w (C, F, ...) read as conv2d's (F'=C, C'=F)
    dpad = np.pad(dout, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    N, C, H, W = x.shape
    _, F, HH, WW = w.shape
    dw = np.empty_like(w)
    for k in range(HH):
        for l in range(WW):
            window = dpad[:, :, k:k + (H - 1) * stride + 1:stride, l:l + (W - 1) * stride + 1:stride]
            dw[:, :, k, l] = np.einsum("nchw,nfhw->cf", x, window)
    return dx, dw, dout.sum((0, 2, 3))
