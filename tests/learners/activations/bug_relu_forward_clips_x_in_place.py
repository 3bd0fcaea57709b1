# expect-fail: relu inputs not modified
"""np.maximum(x, 0, out=x), because writing into x saves an allocation and the result is right, but it clips the caller's array."""
import numpy as np


def relu_forward(x):
    out = np.maximum(x, 0, out=x)
    return out, out


def relu_backward(dout, cache):
    return dout * (cache > 0)


def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1 - cache)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1 - cache ** 2)
