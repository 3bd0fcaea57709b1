# expect-fail: below max_norm: unchanged
# diagnosis: clipping always
"""Always multiplies by max_norm / total_norm, because "rescale to max_norm" sounds like a normalisation, but below max_norm that scales the gradients UP; clipping only ever shrinks."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    total_norm = float(np.sqrt(sum((g * g).sum() for g in grads.values())))
    if total_norm == 0:
        return {k: g.copy() for k, g in grads.items()}, 0.0
    coef = max_norm / total_norm
    return {k: coef * g for k, g in grads.items()}, total_norm
