# expect: pass
"""as_strided windows (read-only) and einsum over the kernel axes per channel; backward's dx as one strided slice-add per kernel tap."""
import numpy as np
from numpy.lib.stride_tricks import as_strided


def _windows(xp, HH, WW, stride):
    N, C, Hp, Wp = xp.shape
    Ho, Wo = 1 + (Hp - HH) // stride, 1 + (Wp - WW) // stride
    sN, sC, sH, sW = xp.strides
    return as_strided(xp, (N, C, Ho, Wo, HH, WW), (sN, sC, sH * stride, sW * stride, sH, sW), writeable=False)


def depthwise_conv2d_forward(x, w, b, stride=1, pad=0):
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="constant")
    win = _windows(xp, w.shape[2], w.shape[3], stride)
    out = np.einsum("nchwkl,ckl->nchw", win, w[:, 0]) + b[None, :, None, None]
    return out, (x, w, stride, pad)


def depthwise_conv2d_backward(dout, cache):
    x, w, stride, pad = cache
    N, C, H, W = x.shape
    _, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = _windows(xp, HH, WW, stride)
    dw = np.einsum("nchwkl,nchw->ckl", win, dout)[:, None]
    dxp = np.zeros_like(xp)
    Ho, Wo = dout.shape[2:]
    for k in range(HH):
        for l in range(WW):
            dxp[:, :, k:k + stride * (Ho - 1) + 1:stride, l:l + stride * (Wo - 1) + 1:stride] += \
                dout * w[None, :, 0, k, l, None, None]
    dx = dxp[:, :, pad:pad + H, pad:pad + W]
    return dx, dw, dout.sum(axis=(0, 2, 3))
