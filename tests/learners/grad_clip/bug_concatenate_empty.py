# expect-fail: empty dict: ({}, 0.0)
"""Concatenates every array into one vector to take the norm, the neat one-liner, but np.concatenate of nothing raises on an empty dict."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    flat = np.concatenate([g.ravel() for g in grads.values()])
    total_norm = float(np.linalg.norm(flat))
    scale = max_norm / total_norm if total_norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, total_norm
