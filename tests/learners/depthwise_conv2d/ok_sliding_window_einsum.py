# expect: pass
"""Every window at once as a strided view (sliding_window_view), out and dw by einsum with the channel index shared, never summed; dx scattered back window by window with np.add.at, which adds up where windows overlap."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def depthwise_conv2d_forward(x, w, b, stride=1, pad=0):
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(x_pad, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("ncijkl,ckl->ncij", windows, w[:, 0]) + b[:, None, None]
    return out, {"x_pad": x_pad, "w": w, "stride": stride, "pad": pad}


def depthwise_conv2d_backward(dout, cache):
    x_pad, w, s, p = cache["x_pad"], cache["w"], cache["stride"], cache["pad"]
    HH, WW = w.shape[2:]
    windows = sliding_window_view(x_pad, (HH, WW), axis=(2, 3))[:, :, ::s, ::s]
    dw = np.einsum("ncijkl,ncij->ckl", windows, dout)[:, None]
    dwindows = np.einsum("ckl,ncij->ncijkl", w[:, 0], dout)
    H_out, W_out = dout.shape[2:]
    rows = (np.arange(H_out)[:, None] * s + np.arange(HH))[:, None, :, None]
    cols = (np.arange(W_out)[:, None] * s + np.arange(WW))[None, :, None, :]
    rows, cols = np.broadcast_arrays(rows, cols)
    dx_pad = np.zeros(x_pad.shape)
    np.add.at(dx_pad, (slice(None), slice(None), rows, cols), dwindows)
    H, W = x_pad.shape[2] - 2 * p, x_pad.shape[3] - 2 * p
    return dx_pad[:, :, p:p + H, p:p + W], dw, dout.sum(axis=(0, 2, 3))
