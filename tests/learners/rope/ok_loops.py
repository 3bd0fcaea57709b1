# expect: pass
"""Plain loops over rows, positions and pairs, straight from the formula, because writing out one 2-D rotation per pair is the surest way to get the pairing and the signs right before vectorising."""
import math

import numpy as np


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2], x.shape[-1]
    if d % 2 != 0:
        raise ValueError("d must be even")
    if positions is None:
        positions = list(range(T))
    half = d // 2
    rows = x.reshape(-1, T, d)
    out = np.zeros_like(rows)
    angles = [[int(positions[t]) * base ** (-2 * i / d) for i in range(half)] for t in range(T)]
    for n in range(rows.shape[0]):
        for t in range(T):
            for i in range(half):
                a = angles[t][i]
                first, second = rows[n, t, i], rows[n, t, i + half]
                out[n, t, i] = first * math.cos(a) - second * math.sin(a)
                out[n, t, i + half] = first * math.sin(a) + second * math.cos(a)
    return out.reshape(x.shape), (angles, x.shape)


def rope_backward(dout, cache):
    angles, shape = cache
    T, d = shape[-2], shape[-1]
    half = d // 2
    rows = dout.reshape(-1, T, d)
    dx = np.zeros_like(rows)
    for n in range(rows.shape[0]):
        for t in range(T):
            for i in range(half):
                a = angles[t][i]
                first, second = rows[n, t, i], rows[n, t, i + half]
                dx[n, t, i] = first * math.cos(a) + second * math.sin(a)
                dx[n, t, i + half] = -first * math.sin(a) + second * math.cos(a)
    return dx.reshape(shape)
