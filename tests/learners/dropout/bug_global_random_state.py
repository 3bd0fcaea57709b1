# expect-group-fail: behaviour
# diagnosis: mask drawn from the global np.random
"""mask from np.random.rand, the global random state, because that is what most tutorials call, so the rng argument is ignored, seeding does not work and the caller's global stream is advanced."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not train:
        return x.copy(), None
    mask = np.random.rand(*x.shape) >= p
    scale = 0.0 if p == 1 else 1.0 / (1 - p)
    return x * mask * scale, (mask, scale)


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    mask, scale = cache
    return dout * mask * scale
