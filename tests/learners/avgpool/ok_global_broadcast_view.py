# expect: pass
"""global_avgpool_backward returns np.broadcast_to of dout / (H*W): a read-only view of a new array, which the contract accepts (judged by value); the forward by sliding_window_view, the backward by np.add.at."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def avgpool_forward(x, pool_height=2, pool_width=2, stride=2):
    win = sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::stride, ::stride]
    return win.mean(axis=(-2, -1)), (x.shape, pool_height, pool_width, stride)


def avgpool_backward(dout, cache):
    shape, ph, pw, s = cache
    dx = np.zeros(shape)
    Ho, Wo = dout.shape[2:]
    rows = (np.arange(Ho) * s)[:, None, None, None] + np.arange(ph)[None, None, :, None]
    cols = (np.arange(Wo) * s)[None, :, None, None] + np.arange(pw)[None, None, None, :]
    rows, cols = np.broadcast_arrays(rows, cols)
    share = np.broadcast_to((dout / (ph * pw))[:, :, :, :, None, None], dout.shape + (ph, pw))
    np.add.at(dx, (slice(None), slice(None), rows, cols), share)
    return dx


def global_avgpool_forward(x):
    return np.mean(x, axis=(2, 3)), x.shape


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    return np.broadcast_to(dout[:, :, None, None] / (H * W), cache)
