# expect-fail: deterministic
# diagnosis: gradients accumulated across backward calls
"""The gradient is kept in a buffer made at forward time and added into on every backward, the way PyTorch accumulates .grad, so a second backward with the same cache returns twice the gradient, in the same array."""
import numpy as np


def embedding_forward(ids, weight):
    if np.any((ids < 0) | (ids >= weight.shape[0])):
        raise ValueError("ids out of range")
    grad = np.zeros_like(weight)
    return weight[ids], {"ids": ids, "grad": grad}


def embedding_backward(dout, cache):
    grad = cache["grad"]
    np.add.at(grad, cache["ids"], dout)
    return grad
