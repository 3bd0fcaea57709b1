# expect-group-fail: value
# diagnosis: kept units not scaled
"""Kept units are not scaled by 1 / (1 - p), because plain dropout just zeroes units and the rescaling is easy to forget, so the expected activation shrinks by (1 - p) at train time only."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not train:
        return x.copy(), None
    if rng is None:
        rng = np.random.default_rng()
    mask = rng.random(x.shape) >= p
    scale = 1.0
    return x * mask * scale, (mask, scale)


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    mask, scale = cache
    return dout * mask * scale
