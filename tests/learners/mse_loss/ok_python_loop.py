# expect: pass
"""A Python loop over every element with np.ndindex, accumulating the squared error in a float, and filling dpred as it goes; the loss comes back as a 0-d array."""
import numpy as np


def mse_loss(pred, target):
    if pred.ndim != target.ndim or any(a != b for a, b in zip(pred.shape, target.shape)):
        raise ValueError("shapes differ")
    total = 0.0
    dpred = np.empty_like(pred)
    count = pred.size
    for index in np.ndindex(pred.shape):
        d = pred[index] - target[index]
        total += d * d
        dpred[index] = 2.0 * d / count
    return np.array(total / count), dpred
