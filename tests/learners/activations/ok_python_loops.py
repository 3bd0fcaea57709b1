# expect: pass
"""Element by element in Python: np.ndindex loops for ReLU, and math.exp on one float at a time for the sigmoid, branching on the sign of each element so that exp never overflows."""
import math

import numpy as np


def _sigmoid(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def relu_forward(x):
    out = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        out[index] = x[index] if x[index] > 0 else 0.0
    return out, x.copy()


def relu_backward(dout, cache):
    dx = np.zeros_like(dout)
    for index in np.ndindex(dout.shape):
        if cache[index] > 0:
            dx[index] = dout[index]
    return dx


def sigmoid_forward(x):
    out = np.array([_sigmoid(float(v)) for v in x.ravel()]).reshape(x.shape)
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)


def tanh_forward(x):
    out = np.array([math.tanh(float(v)) for v in x.ravel()]).reshape(x.shape)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1.0 - cache ** 2)
