# expect: pass
"""Boolean masks everywhere: ReLU's backward copies dout before zeroing it, and the sigmoid fills its two halves through masks, so exp only ever sees numbers <= 0."""
import numpy as np


def relu_forward(x):
    out = x.copy()
    out[x <= 0] = 0.0
    return out, x > 0


def relu_backward(dout, cache):
    dx = dout.copy()
    dx[~cache] = 0.0
    return dx


def sigmoid_forward(x):
    out = np.empty_like(x)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out, {"out": out}


def sigmoid_backward(dout, cache):
    s = cache["out"]
    return dout * s * (1.0 - s)


def tanh_forward(x):
    return np.tanh(x), {"x": x}


def tanh_backward(dout, cache):
    t = np.tanh(cache["x"])  # recomputed from the input instead of cached
    return dout * (1.0 - t * t)
