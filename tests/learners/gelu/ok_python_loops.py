# expect: pass
"""One element at a time with the math module, because numpy has no erf and a scalar loop with math.erf, math.tanh and math.exp is the most direct reading of the formulas; the cache keeps x and the form, and backward recomputes the derivative element by element."""
import math

import numpy as np

SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def _sigmoid(v):
    if v >= 0:
        return 1 / (1 + math.exp(-v))
    e = math.exp(v)  # v < 0: exp cannot overflow
    return e / (1 + e)


def gelu_forward(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
    out = np.empty_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        v = float(x[index])
        if approximate == "none":
            out[index] = v * 0.5 * (1 + math.erf(v / math.sqrt(2)))
        else:
            out[index] = 0.5 * v * (1 + math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v**3)))
    return out, (x.copy(), approximate)


def gelu_backward(dout, cache):
    x, approximate = cache
    dx = np.empty_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        v = float(x[index])
        if approximate == "none":
            cdf = 0.5 * (1 + math.erf(v / math.sqrt(2)))
            pdf = math.exp(-v * v / 2) / math.sqrt(2 * math.pi)
            dx[index] = dout[index] * (cdf + v * pdf)
        else:
            t = math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v**3))
            du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v)
            dx[index] = dout[index] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du)
    return dx


def silu_forward(x):
    out = np.empty_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        v = float(x[index])
        out[index] = v * _sigmoid(v)
    return out, x.copy()


def silu_backward(dout, cache):
    x = cache
    dx = np.empty_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        v = float(x[index])
        s = _sigmoid(v)
        dx[index] = dout[index] * (s + v * s * (1 - s))
    return dx
