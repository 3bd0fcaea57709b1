# expect-fail: max_norm <= 0 raises ValueError
"""Checks max_norm with an assert, the quick way to state a precondition, but an assert raises AssertionError (and vanishes under python -O), not the ValueError the contract asks for."""
import numpy as np


def clip_grad_norm(grads, max_norm):
    assert max_norm > 0, "max_norm must be positive"
    total_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    scale = min(1.0, max_norm / total_norm) if total_norm > 0 else 1.0
    return {k: g * scale for k, g in grads.items()}, total_norm
