# expect: pass
"""Element by element in Python, returning the caller's own arrays when nothing is clipped and total_norm as a 0-d array."""
import math
import numpy as np
def clip_grad_norm(grads, max_norm):
    if not max_norm > 0:
        raise ValueError("bad max_norm")
    sq = 0.0
    for name in grads:
        for v in np.ravel(grads[name]):
            sq += v * v
    total_norm = math.sqrt(sq)
    clipped = {}
    for name, g in grads.items():
        if total_norm > max_norm:
            clipped[name] = g * (max_norm / total_norm)
        else:
            clipped[name] = g
    return clipped, np.array(total_norm)
