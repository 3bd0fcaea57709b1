# expect-fail: backward gradient shapes
# diagnosis: dx left flat
"""dx = dout @ w.T returned as (N, D), because the layer was written and tested on 2-D x, where that already is the shape of x, and reshaping back to (N, d_1, ..., d_k) is forgotten."""
import numpy as np


def linear_forward(x, w, b):
    x_flat = x.reshape(x.shape[0], -1)
    return x_flat @ w + b, (x_flat, w)


def linear_backward(dout, cache):
    x_flat, w = cache
    dx = dout @ w.T
    dw = x_flat.T @ dout
    db = np.sum(dout, axis=0)
    return dx, dw, db
