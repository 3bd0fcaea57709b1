# expect-fail: total_norm values
"""np.mean of the squares: an RMS, not the L2 norm."""
import numpy as np
def clip_grad_norm(grads, max_norm):
    """RMS instead of L2: divides by the number of elements"""
    if max_norm <= 0:
        raise ValueError
    flat = np.concatenate([g.ravel() for g in grads.values()]) if grads else np.zeros(0)
    total = float(np.sqrt(np.mean(flat ** 2))) if flat.size else 0.0
    scale = min(1.0, max_norm / total) if total else 1.0
    return {k: g * scale for k, g in grads.items()}, total
