# expect-fail: units dropped independently
# diagnosis: one mask for every sample
"""The mask is drawn once with the shape of one sample, x.shape[1:], and broadcast over the batch,
because "dropout switches off neurons", and a neuron is a feature, not a (sample, feature) pair;
so every sample in the batch loses the same units."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    if not train:
        return x.copy(), None
    rng = np.random.default_rng() if rng is None else rng
    keep = rng.random(x.shape[1:]) >= p  # one on/off switch per neuron
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    mask = keep * scale
    return x * mask, mask


def dropout_backward(dout, cache):
    if cache is None:
        return dout.copy()
    return dout * cache
