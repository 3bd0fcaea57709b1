# expect-fail: sigmoid stable at +-1000
"""out = 1 / (1 + np.exp(-x)), the textbook formula, because at x = -1000 it still lands on the right answer 0.0, but only after exp(1000) overflows to inf with a RuntimeWarning."""
import numpy as np


def relu_forward(x):
    return np.maximum(x, 0), x > 0


def relu_backward(dout, cache):
    return np.where(cache, dout, 0.0)


def sigmoid_forward(x):
    out = 1 / (1 + np.exp(-x))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1 - cache)


def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1 - cache * cache)
