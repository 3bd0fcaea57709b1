# expect-fail: gelu unknown approximate raises ValueError
"""if approximate == "tanh": ... else: exact, because two cases look like one test, but then approximate="erf" (or a typo such as "tahn") silently gets the exact form instead of an error."""
import math

import numpy as np

erf = np.vectorize(math.erf)
C = math.sqrt(2 / math.pi)


def gelu_forward(x, approximate="none"):
    if approximate == "tanh":
        t = np.tanh(C * (x + 0.044715 * x**3))
        g, dg = 0.5 * (1 + t), 0.5 * (1 - t**2) * C * (1 + 3 * 0.044715 * x**2)
    else:
        g, dg = 0.5 * (1 + erf(x / math.sqrt(2))), np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)
    return x * g, (x, g, dg)


def gelu_backward(dout, cache):
    x, g, dg = cache
    return dout * (g + x * dg)


def silu_forward(x):
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return x * s, (x, s)


def silu_backward(dout, cache):
    x, s = cache
    return dout * (s + x * s * (1 - s))
