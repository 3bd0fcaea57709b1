# expect-fail: silu gradient dx
# diagnosis: silu derivative sigmoid alone
"""dx = dout * sigmoid(x), because SiLU is "x gated by its sigmoid" and the gate looks like the slope, but out = x * s(x) has two factors that depend on x: the missing term is x * s * (1 - s)."""
import math

import numpy as np

erf = np.vectorize(math.erf)


def gelu_forward(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', not {approximate!r}")
    if approximate == "tanh":
        c = math.sqrt(2 / math.pi)
        t = np.tanh(c * (x + 0.044715 * x**3))
        return 0.5 * x * (1 + t), (x, 0.5 * (1 + t), 0.5 * (1 - t**2) * c * (1 + 0.134145 * x**2))
    cdf = 0.5 * (1 + erf(x / math.sqrt(2)))
    return x * cdf, (x, cdf, np.exp(-x**2 / 2) / math.sqrt(2 * math.pi))


def gelu_backward(dout, cache):
    x, g, dg = cache
    return dout * (g + x * dg)


def silu_forward(x):
    s = np.empty_like(x)
    pos = x >= 0
    s[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    s[~pos] = e / (1 + e)
    return x * s, s


def silu_backward(dout, cache):
    return dout * cache
