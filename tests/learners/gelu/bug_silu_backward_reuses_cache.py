# expect-fail: silu deterministic
"""ds = s; ds *= 1 + x * (1 - s); ds *= dout, because in-place products save allocations, but ds is the cache's own array: the first call is right and leaves the cache changed, so a second backward with the same cache (gradient accumulation, a re-run) is wrong."""
import math

import numpy as np

erf = np.vectorize(math.erf)
C = math.sqrt(2 / math.pi)


def gelu_forward(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ValueError(approximate)
    if approximate == "none":
        g, dg = 0.5 * (1 + erf(x / math.sqrt(2))), np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)
    else:
        t = np.tanh(C * (x + 0.044715 * x**3))
        g, dg = 0.5 * (1 + t), 0.5 * (1 - t**2) * C * (1 + 3 * 0.044715 * x**2)
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
    ds = s
    ds *= 1 + x * (1 - s)
    ds *= dout
    return ds
