# expect-fail: gelu gradient dx
# diagnosis: gelu derivative missing x * g'(x)
"""dx = dout * Phi(x), because GELU reads as "x weighted by Phi(x)", like a ReLU whose mask is soft, and a ReLU's derivative is its mask; but the weight depends on x too, so the product rule adds x * phi(x)."""
import math

import numpy as np

erf = np.vectorize(math.erf)


def gelu_forward(x, approximate="none"):
    if approximate == "none":
        gate = 0.5 * (1 + erf(x / np.sqrt(2)))
    elif approximate == "tanh":
        gate = 0.5 * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    else:
        raise ValueError(f"unknown approximate {approximate!r}")
    return x * gate, gate


def gelu_backward(dout, cache):
    return dout * cache


def silu_forward(x):
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return x * s, (x, s)


def silu_backward(dout, cache):
    x, s = cache
    return dout * s * (1 + x * (1 - s))
