# expect-fail: output shapes
"""Written for the (N, D) activations of a fully connected net, the only case the learner had in
mind from the lecture: N, D = x.shape, and a mask of shape (N, D). Right for 2-D x, but the
unpacking raises for 1-D and 4-D x (conv activations), which the contract allows."""
import numpy as np


def dropout_forward(x, p, train=True, rng=None):
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability p={p} is not in [0, 1]")
    N, D = x.shape
    if not train:
        return x.copy(), None
    if rng is None:
        rng = np.random.default_rng()
    if p == 1:
        mask = np.zeros((N, D))
    else:
        mask = (rng.random((N, D)) >= p) / (1 - p)
    out = x * mask
    return out, mask


def dropout_backward(dout, cache):
    mask = cache
    if mask is None:
        return dout.copy()
    return dout * mask
