# expect-fail: dpred values; gradient dpred; 3-D pred
# diagnosis: gradient divided by the batch size
"""dpred = 2 * (pred - target) / N with N = pred.shape[0], because "divide by the batch size" is the habit from per-example losses, but the mean runs over every element."""
import numpy as np


def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError("pred and target must have the same shape")
    N = pred.shape[0]
    diff = pred - target
    return np.mean(diff ** 2), 2 * diff / N
