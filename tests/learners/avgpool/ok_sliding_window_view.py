# expect: pass
"""Windows as a strided view (sliding_window_view, every stride-th one kept), mean over the last two axes; backward scatters with np.add.at over index grids, since it is the one numpy call that adds repeated indices up."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def avgpool_forward(x, pool_height=2, pool_width=2, stride=2):
    windows = sliding_window_view(x, (pool_height, pool_width), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.mean(axis=(-2, -1)), {"shape": x.shape, "pool": (pool_height, pool_width), "stride": stride}


def avgpool_backward(dout, cache):
    ph, pw = cache["pool"]
    s = cache["stride"]
    H_out, W_out = dout.shape[2:]
    rows = (np.arange(H_out)[:, None] * s + np.arange(ph))[:, None, :, None]   # (H', 1, ph, 1)
    cols = (np.arange(W_out)[:, None] * s + np.arange(pw))[None, :, None, :]   # (1, W', 1, pw)
    rows, cols = np.broadcast_arrays(rows, cols)
    share = np.broadcast_to(dout[:, :, :, :, None, None] / (ph * pw), dout.shape + (ph, pw))
    dx = np.zeros(cache["shape"])
    np.add.at(dx, (slice(None), slice(None), rows, cols), share)
    return dx


def global_avgpool_forward(x):
    N, C = x.shape[:2]
    return x.reshape(N, C, -1).mean(axis=2), x.shape


def global_avgpool_backward(dout, cache):
    return np.ones(cache) * (dout / (cache[2] * cache[3]))[..., None, None]
