# expect-fail: dpred values; gradient dpred; 3-D pred
# diagnosis: gradient without 2/pred.size
"""dpred = pred - target, the gradient of 0.5 * sum((pred - target)**2), because that is the textbook
"squared error" whose 1/2 cancels the square's 2; this loss is the mean of the squares, whose gradient
keeps the 2 and divides by pred.size."""
import numpy as np


def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError(f"pred {pred.shape} and target {target.shape} differ")
    diff = pred - target
    return float(np.mean(diff ** 2)), diff
