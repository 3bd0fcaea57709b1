# expect: pass
"""sigmoid(x) = (1 + tanh(x/2)) / 2, which has no exp to overflow at all, and Phi through math.erfc, Phi(x) = erfc(-x / sqrt(2)) / 2, accurate in the far left tail; the forward caches both derivatives of the product rule, because the identities are exact and np.tanh is stable everywhere."""
import math

import numpy as np

erfc = np.vectorize(math.erfc, otypes=[float])


def gelu_forward(x, approximate="none"):
    if approximate == "none":
        phi_cdf = 0.5 * erfc(-x / math.sqrt(2))
        dgate = np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)
    elif approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
        t = np.tanh(inner)
        phi_cdf = (1 + t) / 2
        dgate = (1 - t**2) / 2 * math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * x**2)
    else:
        raise ValueError(f"unsupported approximate={approximate!r}")
    out = x * phi_cdf
    return out, (phi_cdf, x * dgate)


def gelu_backward(dout, cache):
    phi_cdf, x_dgate = cache
    return dout * (phi_cdf + x_dgate)


def silu_forward(x):
    s = (1 + np.tanh(x / 2)) / 2
    return x * s, (s, x * s * (1 - s))


def silu_backward(dout, cache):
    s, x_ds = cache
    return dout * (s + x_ds)
