# expect-fail: forward values; adjoint of conv2d
# diagnosis: flipped kernel
"""The dilate-and-convolve recipe remembered without its flip: spread x, pad by HH - 1 - pad, cross-correlate with w as it is. The transposed convolution's equivalent direct convolution uses the kernel rotated by 180 degrees."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _dilate(x, stride):
    N, C, H, W = x.shape
    spread = np.zeros((N, C, (H - 1) * stride + 1, (W - 1) * stride + 1))
    spread[:, :, ::stride, ::stride] = x
    return spread


def conv_transpose2d_forward(x, w, b, stride=1, pad=0):
    HH, WW = w.shape[2:]
    ph, pw = HH - 1 - pad, WW - 1 - pad
    spread = _dilate(x, stride)
    if ph < 0 or pw < 0:  # pad larger than the kernel's reach: crop instead
        spread = spread[:, :, max(-ph, 0):spread.shape[2] - max(-ph, 0), max(-pw, 0):spread.shape[3] - max(-pw, 0)]
    padded = np.pad(spread, ((0, 0), (0, 0), (max(ph, 0), max(ph, 0)), (max(pw, 0), max(pw, 0))))
    windows = sliding_window_view(padded, (HH, WW), axis=(2, 3))          # (N, C, H', W', HH, WW)
    kernel = w
    out = np.einsum("ncijkl,cfkl->nfij", windows, kernel) + b[:, None, None]
    return out, {"x": x, "w": w, "stride": stride, "pad": pad}


def conv_transpose2d_backward(dout, cache):
    x, w, stride, pad = cache["x"], cache["w"], cache["stride"], cache["pad"]
    dfull = np.pad(dout, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(dfull, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]  # (N, F, H, W, HH, WW)
    dx = np.einsum("nfijkl,cfkl->ncij", windows, w[:, :, ::-1, ::-1])
    dw = np.einsum("ncij,nfijkl->cfkl", x, windows)[:, :, ::-1, ::-1]
    return dx, dw, dout.sum(axis=(0, 2, 3))
