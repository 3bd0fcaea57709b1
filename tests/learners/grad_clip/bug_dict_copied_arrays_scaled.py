# expect-fail: grads not modified, a new dict returned
# diagnosis: arrays scaled in place
"""dict(grads) copies the dict but not its arrays: out[k] *= scale scales the caller's arrays."""
import numpy as np
def clip_grad_norm(grads, max_norm):
    """copies the dict, but scales its (shared) arrays in place"""
    if max_norm <= 0:
        raise ValueError
    out = dict(grads)
    total = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if total > max_norm:
        for k in out:
            out[k] *= max_norm / total
    return out, total
