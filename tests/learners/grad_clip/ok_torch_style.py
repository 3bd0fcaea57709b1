# expect: pass
"""PyTorch's recipe: a norm of the per-array norms, a clip coefficient with the 1e-6 clamped at 1, always multiplied; unchanged arrays are still new arrays."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    max_norm = float(max_norm)
    if max_norm <= 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    if not grads:
        return {}, 0.0
    norms = np.array([np.linalg.norm(g.ravel()) for g in grads.values()])
    total_norm = float(np.linalg.norm(norms))
    clip_coef = min(max_norm / (total_norm + 1e-6), 1.0)
    return {name: np.multiply(g, clip_coef) for name, g in grads.items()}, total_norm
