# expect: pass
"""Naive loops over every element of every array, the way one would write it without numpy: slow but plainly right."""
import math

import numpy as np


def clip_grad_norm(grads, max_norm):
    if not max_norm > 0:
        raise ValueError("max_norm must be > 0")
    squares = 0.0
    for g in grads.values():
        for value in g.flat:
            squares += value * value
    total_norm = math.sqrt(squares)
    clipped = {}
    for name, g in grads.items():
        out = np.empty_like(g)
        for index in np.ndindex(g.shape):
            out[index] = g[index] * max_norm / (total_norm + 1e-6) if total_norm > max_norm else g[index]
        clipped[name] = out
    return clipped, total_norm
