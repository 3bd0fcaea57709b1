# expect-group-fail: value
# diagnosis: per-array norms
"""Each array clipped by its own norm, because "clip the gradient norm" reads as a per-tensor operation (as clip_grad_value_ is per element), but the norm is one over all the arrays together and one factor scales them all."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    total_norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    clipped = {}
    for name, g in grads.items():
        norm = np.linalg.norm(g)
        clipped[name] = g * (max_norm / norm) if norm > max_norm else g.copy()
    return clipped, float(total_norm)
