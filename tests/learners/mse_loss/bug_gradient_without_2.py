# expect-fail: dpred values; gradient dpred; 3-D pred
# diagnosis: gradient without the 2
"""dpred = (pred - target) / pred.size, because the 2 from the square is often cancelled by a 1/2 in textbook losses (0.5 * sum of squares), and this loss has no 1/2."""
import numpy as np


def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError("pred and target must have the same shape")
    diff = pred - target
    return np.mean(diff ** 2), diff / diff.size
