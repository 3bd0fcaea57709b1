# expect-fail: gelu forward values; gelu unknown approximate raises ValueError
# diagnosis: gelu form not chosen by approximate
"""The tanh formula for every call, approximate accepted and ignored, because it is the GELU of GPT-2's and BERT's code that everyone has seen (and numpy has no erf), but approximate="none" asks for the exact x * Phi(x)."""
import numpy as np

C = np.sqrt(2 / np.pi)


def gelu_forward(x, approximate="none"):
    t = np.tanh(C * (x + 0.044715 * x**3))
    return 0.5 * x * (1 + t), (x, t)


def gelu_backward(dout, cache):
    x, t = cache
    return dout * (0.5 * (1 + t) + 0.5 * x * (1 - t**2) * C * (1 + 3 * 0.044715 * x**2))


def silu_forward(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return x * s, (x, s)


def silu_backward(dout, cache):
    x, s = cache
    return dout * (s + x * s * (1 - s))
