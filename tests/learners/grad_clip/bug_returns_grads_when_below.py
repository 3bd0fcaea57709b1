# expect-fail: grads not modified, a new dict returned
"""Returns grads itself when no clipping is needed, an "early exit" that saves a copy; but then the caller's dict and the result are one object, and updating one updates the other."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    total_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if total_norm <= max_norm:
        return grads, total_norm
    return {k: g * (max_norm / total_norm) for k, g in grads.items()}, total_norm
