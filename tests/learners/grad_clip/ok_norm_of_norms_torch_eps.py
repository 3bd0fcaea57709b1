# expect: pass
"""The norm of the per-array norms (np.linalg.norm of a list), PyTorch's max_norm / (total + 1e-6) coefficient, copies when unchanged."""
import numpy as np
def clip_grad_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    norms = [np.linalg.norm(g) for g in grads.values()]
    total = float(np.linalg.norm(norms)) if norms else 0.0
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        return {k: g * coef for k, g in grads.items()}, total
    return {k: g.copy() for k, g in grads.items()}, total
