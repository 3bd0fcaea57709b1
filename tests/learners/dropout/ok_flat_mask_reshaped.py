# expect: pass
"""One uniform draw per unit as a flat vector, rng.random(x.size), reshaped to x's shape: the learner
thinks of the units as one long list whatever the layer, and the reshape makes any rank work."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not (0.0 <= p <= 1.0):
        raise ValueError(f"p = {p} outside [0, 1]")
    if not train:
        return x.copy(), np.ones(x.shape)
    if rng is None:
        rng = np.random.default_rng()
    u = rng.random(x.size).reshape(x.shape)
    if p == 1.0:
        mask = np.zeros(x.shape)
    else:
        mask = np.where(u >= p, 1.0 / (1.0 - p), 0.0)
    return x * mask, mask


def dropout_backward(dout, cache):
    return dout * cache
