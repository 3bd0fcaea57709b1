# expect-group-fail: edge
"""No check that 0 <= p <= 1, because the caller "obviously" passes a probability, so p = 1.5 silently returns zeros and p = -0.5 scales everything by 2/3."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not train:
        return x.copy(), None
    if rng is None:
        rng = np.random.default_rng()
    mask = rng.random(x.shape) >= p
    scale = 0.0 if p >= 1 else 1.0 / (1 - p)
    return x * mask * scale, (mask, scale)


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    mask, scale = cache
    return dout * mask * scale
