# expect-group-fail: edge
# diagnosis: p = 1 divides by zero
"""mask = (rng.random(x.shape) >= p) / (1 - p) divides by zero when p == 1, because p = 1 looks like a case nobody uses, so dropping everything gives NaN and a warning instead of zeros."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not train:
        return x.copy(), None
    if rng is None:
        rng = np.random.default_rng()
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, (mask, 1.0)


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    mask, scale = cache
    return dout * mask * scale
