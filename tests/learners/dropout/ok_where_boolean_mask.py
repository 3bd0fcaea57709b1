# expect: pass
"""np.where on a boolean keep-mask with a separate p == 1 branch, keeping the mask as booleans and the scale as a number, because that reads closest to the definition."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not (0.0 <= p <= 1.0):
        raise ValueError(f"p = {p} is not a probability")
    if rng is None:
        rng = np.random.default_rng()
    if not train:
        return x + 0.0, (None, p)
    keep = rng.random(x.shape) < 1.0 - p
    if p == 1:
        return np.zeros_like(x), (keep, p)
    return np.where(keep, x / (1.0 - p), 0.0), (keep, p)


def dropout_backward(dout, cache):
    keep, p = cache
    if keep is None:
        return dout.copy()
    if p == 1:
        return np.zeros_like(dout)
    return np.where(keep, dout / (1.0 - p), 0.0)
