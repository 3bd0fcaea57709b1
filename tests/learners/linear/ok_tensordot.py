# expect: pass
"""np.tensordot straight on the unflattened x, with w viewed as (d_1, ..., d_k, M), so nothing is ever flattened to (N, D)."""
import numpy as np


def linear_forward(x, w, b):
    w_nd = w.reshape(x.shape[1:] + (w.shape[1],))
    axes = x.ndim - 1
    out = np.tensordot(x, w_nd, axes=(list(range(1, x.ndim)), list(range(axes)))) + b
    return out, (x, w_nd)


def linear_backward(dout, cache):
    x, w_nd = cache
    dx = np.tensordot(dout, w_nd, axes=([1], [w_nd.ndim - 1]))
    dw_nd = np.tensordot(x, dout, axes=([0], [0]))
    return dx, dw_nd.reshape(-1, dout.shape[1]), dout.sum(0)
