# expect-fail: gelu gradient dx
"""The cache holds x alone and backward always uses the exact derivative Phi(x) + x * phi(x), because the derivation was done once, for the exact form, and the tanh form was added to the forward later: its gradients are off by up to about 1e-3, only where approximate="tanh"."""
import math

import numpy as np

erf = np.vectorize(math.erf)


def gelu_forward(x, approximate="none"):
    if approximate == "none":
        return x * 0.5 * (1 + erf(x / math.sqrt(2))), x
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))), x
    raise ValueError(approximate)


def gelu_backward(dout, cache):
    x = cache
    return dout * (0.5 * (1 + erf(x / math.sqrt(2))) + x * np.exp(-x**2 / 2) / math.sqrt(2 * math.pi))


def silu_forward(x):
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return x * s, (x, s)


def silu_backward(dout, cache):
    x, s = cache
    return dout * (s + x * s * (1 - s))
