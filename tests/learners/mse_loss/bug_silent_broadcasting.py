# expect-fail: shapes (N,) and (N, 1) raise ValueError
# diagnosis: shapes broadcast silently
"""No shape check, because numpy "just works" on the arithmetic, so predictions of shape (N, 1) against targets of shape (N,) silently broadcast to (N, N)."""
import numpy as np


def mse_loss(pred, target):
    diff = pred - target
    return np.mean(diff ** 2), 2 * diff / diff.size
