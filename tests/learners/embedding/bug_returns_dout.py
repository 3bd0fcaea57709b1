# expect-fail: backward gradient shapes
# diagnosis: dweight shaped like out
"""A lookup copies rows unchanged, so its backward looks like the identity's: dout is handed back as the gradient, with the shape of out instead of the table's (V, D)."""
import numpy as np


def embedding_forward(ids, weight):
    if np.any(ids < 0) or np.any(ids >= len(weight)):
        raise ValueError("ids out of range")
    return weight[ids], ids


def embedding_backward(dout, cache):
    # the forward just copies rows, so the gradient passes straight through
    return dout.copy()
