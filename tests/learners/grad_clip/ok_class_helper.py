# expect: pass
"""A small class holding max_norm, norm as a numpy scalar, scale = min(1, max_norm / total)."""
import numpy as np
class _Clipper:
    def __init__(self, max_norm):
        if max_norm <= 0:
            raise ValueError("max_norm")
        self.max_norm = max_norm
    def norm(self, grads):
        return np.sqrt(sum(np.sum(np.square(g)) for g in grads.values())) if grads else np.float64(0.0)
    def __call__(self, grads):
        total = self.norm(grads)
        scale = min(1.0, self.max_norm / total) if total > 0 else 1.0
        return {k: scale * g for k, g in grads.items()}, total
def clip_grad_norm(grads, max_norm):
    return _Clipper(max_norm)(grads)
