# expect-fail: silu stable at +-1000
# diagnosis: silu exp overflows
"""np.where(x >= 0, x / (1 + np.exp(-x)), x * np.exp(x) / (1 + np.exp(x))), because each branch is safe where it is chosen, but np.where evaluates both on every element, so exp(1000) still overflows (and inf / inf warns too) in the branch thrown away."""
import math

import numpy as np

erf = np.vectorize(math.erf)


def gelu_forward(x, approximate="none"):
    if approximate == "none":
        g = 0.5 * (1 + erf(x / math.sqrt(2)))
        dg = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    elif approximate == "tanh":
        k = math.sqrt(2 / math.pi)
        t = np.tanh(k * (x + 0.044715 * x**3))
        g, dg = 0.5 * (1 + t), 0.5 * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x)
    else:
        raise ValueError(approximate)
    return x * g, (x, g, dg)


def gelu_backward(dout, cache):
    x, g, dg = cache
    return dout * (g + x * dg)


def silu_forward(x):
    out = np.where(x >= 0, x / (1 + np.exp(-x)), x * np.exp(x) / (1 + np.exp(x)))
    return out, x


def silu_backward(dout, cache):
    x = cache
    s = 0.5 * (1 + np.tanh(x / 2))
    return dout * (s + x * s * (1 - s))
