# expect-group-fail: value
# diagnosis: p taken as the keep probability
"""mask = (rng.random(x.shape) < p) / p treats p as the probability of KEEPING a unit, because the original CS231n assignment used that convention, while PyTorch's p (and this kata's) is the drop probability."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not train:
        return x.copy(), None
    if rng is None:
        rng = np.random.default_rng()
    mask = (rng.random(x.shape) < p) / p
    return x * mask, (mask, 1.0)


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    mask, scale = cache
    return dout * mask * scale
