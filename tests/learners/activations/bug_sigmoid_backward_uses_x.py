# expect-fail: sigmoid gradient dx
# diagnosis: sigmoid derivative taken at x
"""dx = dout * x * (1 - x) with x cached, because sigmoid' = s * (1 - s) is written with the cached input in place of s = sigmoid(x)."""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0), x


def relu_backward(dout, cache):
    return dout * (cache > 0)


def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)), x


def sigmoid_backward(dout, cache):
    x = cache
    return dout * x * (1 - x)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1 - cache ** 2)
