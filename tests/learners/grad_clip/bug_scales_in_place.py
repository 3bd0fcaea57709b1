# expect-fail: grads not modified, a new dict returned
# diagnosis: arrays scaled in place
"""Scales the caller's arrays with *=, as torch.nn.utils.clip_grad_norm_ does to each .grad, to save memory; but this kata's function must leave grads as it was and return a new dict."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    total_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if total_norm > max_norm:
        for g in grads.values():
            g *= max_norm / total_norm
    return grads, total_norm
