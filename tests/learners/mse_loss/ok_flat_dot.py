# expect: pass
"""Flatten to vectors, the loss as a dot product of the difference with itself, and the shape check written out with a message naming both shapes."""
import numpy as np


def mse_loss(pred, target):
    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)
    if np.shape(pred) != np.shape(target):
        raise ValueError(f"mse_loss: pred {np.shape(pred)} and target {np.shape(target)} differ in shape")
    d = (pred - target).ravel()
    n = d.size
    loss = d @ d / n
    return loss, (2.0 / n * d).reshape(pred.shape)
