# expect-fail: shapes (N,) and (N, 1) raise ValueError; shapes (3, 4) and (4, 3) raise ValueError
# diagnosis: shapes checked with assert
"""assert pred.shape == target.shape, because an assert reads as the natural guard, but it raises AssertionError (and vanishes under python -O), not the ValueError callers catch."""
import numpy as np


def mse_loss(pred, target):
    assert pred.shape == target.shape, "shape mismatch"
    diff = pred - target
    return float(np.mean(diff ** 2)), 2 * diff / pred.size
