# expect-fail: fraction dropped matches p; p = 0 keeps every unit
# diagnosis: mask from normal draws
"""keep = rng.standard_normal(x.shape) >= p, because "draw a random number per unit and compare with p"
was remembered, and standard_normal is the generator method that comes to mind first; normal draws are
not uniform on [0, 1), so the fraction dropped is Phi(p), not p."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not train:
        return x.copy(), None
    rng = np.random.default_rng() if rng is None else rng
    keep = rng.standard_normal(x.shape) >= p
    mask = keep / (1 - p) if p < 1 else np.zeros(x.shape)
    return x * mask, mask


def dropout_backward(dout, cache):
    return dout if cache is None else dout * cache
