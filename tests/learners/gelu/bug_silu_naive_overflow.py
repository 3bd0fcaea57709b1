# expect-fail: silu stable at +-1000
# diagnosis: silu exp overflows
"""out = x / (1 + np.exp(-x)), the one-line definition, because at x = -1000 it still lands on the right answer (-1000 / inf is -0.0), but only after exp(1000) overflows to inf with a RuntimeWarning."""
import math

import numpy as np

erf = np.vectorize(math.erf)
C = math.sqrt(2 / math.pi)


def gelu_forward(x, approximate="none"):
    if approximate == "none":
        return x * 0.5 * (1 + erf(x / math.sqrt(2))), (x, approximate)
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(C * (x + 0.044715 * x**3))), (x, approximate)
    raise ValueError("approximate must be 'none' or 'tanh'")


def gelu_backward(dout, cache):
    x, approximate = cache
    if approximate == "none":
        return dout * (0.5 * (1 + erf(x / math.sqrt(2))) + x * np.exp(-x**2 / 2) / math.sqrt(2 * math.pi))
    t = np.tanh(C * (x + 0.044715 * x**3))
    return dout * (0.5 * (1 + t) + 0.5 * x * (1 - t**2) * C * (1 + 3 * 0.044715 * x**2))


def silu_forward(x):
    s = 1 / (1 + np.exp(-x))
    return x * s, (x, s)


def silu_backward(dout, cache):
    x, s = cache
    return dout * (s + x * s * (1 - s))
