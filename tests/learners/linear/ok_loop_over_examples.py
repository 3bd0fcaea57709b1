# expect: pass
"""One example at a time: ravel it, take its dot products with w, and accumulate dw and db with += over the batch."""
import numpy as np


def linear_forward(x, w, b):
    out = np.zeros((x.shape[0], w.shape[1]))
    for i in range(x.shape[0]):
        out[i] = x[i].ravel() @ w + b
    return out, (x, w, b)


def linear_backward(dout, cache):
    x, w, b = cache
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    db = np.zeros_like(b)
    for i in range(x.shape[0]):
        dx[i] = (w @ dout[i]).reshape(x[i].shape)
        dw += np.outer(x[i].ravel(), dout[i])
        db += dout[i]
    return dx, dw, db
