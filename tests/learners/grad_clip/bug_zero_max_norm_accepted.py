# expect-fail: max_norm <= 0 raises ValueError
"""Refuses only a negative max_norm: max_norm 0 zeroes every gradient instead of raising."""
import numpy as np
def clip_grad_norm(grads, max_norm):
    """refuses only max_norm < 0: 0 divides to a zero gradient"""
    if max_norm < 0:
        raise ValueError
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    scale = min(1.0, max_norm / total) if total else 1.0
    return {k: g * scale for k, g in grads.items()}, total
