# expect-fail: loss values; 3-D pred
# diagnosis: loss divided by the batch size
"""loss = sum of squares / N with N = pred.shape[0], because a per-example loss summed over features and averaged over the batch is a common convention, but the contract's mean is over every element; dpred was written correctly, so only the loss is off (and the gradient row notes that it no longer matches the numerical gradient of that loss)."""
import numpy as np


def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError("pred and target must have the same shape")
    diff = pred - target
    return np.sum(diff ** 2) / pred.shape[0], 2 * diff / pred.size
