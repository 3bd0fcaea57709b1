# expect: pass
"""Mask drawn with rng.binomial(1, 1 - p) (one Bernoulli "keep" per unit) and stored already scaled, a different but equally valid way to draw the same distribution."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if p < 0 or p > 1:
        raise ValueError("dropout probability must lie in [0, 1]")
    if not train:
        return np.array(x, copy=True), {"mask": np.ones_like(x)}
    rng = rng if rng is not None else np.random.default_rng()
    keep = rng.binomial(1, 1 - p, size=x.shape)
    mask = keep / (1 - p) if p < 1 else np.zeros_like(x)
    return x * mask, {"mask": mask}


def dropout_backward(dout, cache):
    return dout * cache["mask"]
