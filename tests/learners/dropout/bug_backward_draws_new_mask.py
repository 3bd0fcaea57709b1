# expect-group-fail: gradient
# diagnosis: backward draws a new mask
"""dropout_backward draws a fresh mask instead of reusing the forward one, because "dropout is random" and the cache seemed to need only p, so the gradient flows through units the forward pass dropped."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not train:
        return x.copy(), None
    if rng is None:
        rng = np.random.default_rng()
    mask = rng.random(x.shape) >= p
    scale = 0.0 if p == 1 else 1.0 / (1 - p)
    return x * mask * scale, (p, scale)


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    p, scale = cache
    mask = np.random.default_rng().random(dout.shape) >= p
    return dout * mask * scale
