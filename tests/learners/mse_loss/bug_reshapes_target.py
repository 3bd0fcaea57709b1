# expect-fail: shapes (N,) and (N, 1) raise ValueError; shapes (3, 4) and (4, 3) raise ValueError
# diagnosis: target reshaped to pred's shape
"""target = target.reshape(pred.shape), because it "fixes" the (N,) versus (N, 1) broadcasting trap, but it also accepts a transposed target and pairs up the wrong elements."""
import numpy as np


def mse_loss(pred, target):
    target = target.reshape(pred.shape)
    diff = pred - target
    return np.mean(np.square(diff)), 2 * diff / pred.size
