# expect-fail: total_norm values
# diagnosis: norm without the square root
"""The sum of squares taken for the norm: the square root forgotten."""
import numpy as np
def clip_grad_norm(grads, max_norm):
    """forgets the square root: the squared norm"""
    if max_norm <= 0:
        raise ValueError
    total = float(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / total) if total else 1.0
    return {k: g * scale for k, g in grads.items()}, total
