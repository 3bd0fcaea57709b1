# expect-fail: relu inputs not modified
# diagnosis: relu backward zeroes dout in place
"""dout[x <= 0] = 0; return dout, the classic CS231n one-liner, because masking in place looks like a free copy-less gradient, but dout belongs to the caller (the layer above may still need it)."""
import numpy as np


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    x = cache
    dout[x <= 0] = 0
    return dout


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
