# expect-fail: total_norm values
# diagnosis: norm after clipping returned
"""Recomputes the norm at the end from the clipped arrays, because the function "returns the norm" and the last arrays at hand are the clipped ones, but the norm wanted is the one before clipping (what torch returns and a training log shows)."""
import numpy as np


def _global_norm(arrays):
    return float(np.sqrt(sum(np.vdot(a, a) for a in arrays)))


def clip_grad_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError(f"bad max_norm {max_norm}")
    norm = _global_norm(grads.values())
    factor = min(1.0, max_norm / norm) if norm > 0 else 1.0
    clipped = {k: v * factor for k, v in grads.items()}
    return clipped, _global_norm(clipped.values())
