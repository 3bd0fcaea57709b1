# expect-fail: gelu forward values; gelu gradient dx
# diagnosis: Phi without the 1/sqrt(2)
"""Phi(x) = 0.5 * (1 + erf(x)), because "the CDF is built from erf" is what is remembered, but erf(x) is the CDF of a normal of variance 1/2: the standard normal needs erf(x / sqrt(2)). The backward is the honest derivative of that wrong forward, so only the reference disagrees with it."""
import math

import numpy as np

erf = np.vectorize(math.erf)


def gelu_forward(x, approximate="none"):
    if approximate == "none":
        cdf = 0.5 * (1 + erf(x))
        pdf = np.exp(-x**2) / np.sqrt(np.pi)
    elif approximate == "tanh":
        c = np.sqrt(2 / np.pi)
        t = np.tanh(c * (x + 0.044715 * x**3))
        cdf = 0.5 * (1 + t)
        pdf = 0.5 * (1 - t**2) * c * (1 + 3 * 0.044715 * x**2)
    else:
        raise ValueError(approximate)
    return x * cdf, (x, cdf, pdf)


def gelu_backward(dout, cache):
    x, cdf, pdf = cache
    return dout * (cdf + x * pdf)


def silu_forward(x):
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return x * s, (x, s)


def silu_backward(dout, cache):
    x, s = cache
    return dout * (s + x * s * (1 - s))
