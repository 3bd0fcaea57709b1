# expect-group-fail: edge
# diagnosis: test mode scales by 1 - p
"""train=False returns x * (1 - p), because classic (non-inverted) dropout scales at test time, and that step is kept on top of the inverted scaling at train time."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not train:
        return x * (1 - p), None
    if rng is None:
        rng = np.random.default_rng()
    mask = rng.random(x.shape) >= p
    scale = 0.0 if p == 1 else 1.0 / (1 - p)
    return x * mask * scale, (mask, scale)


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    mask, scale = cache
    return dout * mask * scale
