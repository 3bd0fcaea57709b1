# expect-fail: tanh gradient dx
# diagnosis: tanh derivative taken at x
"""dx = dout * (1 - x**2) with x cached, because "the derivative of tanh is 1 - tanh**2" was remembered as 1 - (input)**2, and the cache holds the input."""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0), x


def relu_backward(dout, cache):
    return dout * (cache > 0)


def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1 - cache)


def tanh_forward(x):
    return np.tanh(x), x


def tanh_backward(dout, cache):
    x = cache
    return dout * (1 - x ** 2)
