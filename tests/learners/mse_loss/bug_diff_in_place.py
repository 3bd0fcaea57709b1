# expect-fail: inputs not modified
"""diff = pred; diff -= target, because -= looks like it works on a fresh variable, but diff is pred itself, so the caller's predictions are overwritten."""
import numpy as np


def mse_loss(pred, target):
    if pred.shape != target.shape:
        raise ValueError("pred and target must have the same shape")
    diff = pred
    diff -= target
    return float(np.mean(diff * diff)), 2.0 * diff / diff.size
