# expect-fail: relu gradient at 0 is 0
# diagnosis: relu gradient 1 at 0
"""dx = dout * (x >= 0), because ">= 0" reads as "not negative" and the forward max(x, 0) does not care which side 0 is on, but the gradient at the kink is 0 by convention."""
import numpy as np


def relu_forward(x):
    return x * (x > 0), x


def relu_backward(dout, cache):
    return dout * (cache >= 0)


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
