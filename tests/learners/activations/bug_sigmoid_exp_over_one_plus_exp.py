# expect-fail: sigmoid stable at +-1000
"""out = np.exp(x) / (1 + np.exp(x)), the "other" form of the sigmoid, because it is equal on paper, but at x = 1000 it is inf / inf = nan."""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0), x > 0


def relu_backward(dout, cache):
    return np.where(cache, dout, 0.0)


def sigmoid_forward(x):
    e = np.exp(x)
    return e / (1 + e), x


def sigmoid_backward(dout, cache):
    e = np.exp(cache)
    s = e / (1 + e)
    return dout * s * (1 - s)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1 - cache * cache)
