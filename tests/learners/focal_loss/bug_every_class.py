# expect-group-fail: value
# diagnosis: focal term over every class
"""Applies -(1 - p)**gamma * log(p) to the whole probability matrix and sums over classes, the way the sigmoid (per-class) focal loss of RetinaNet is written, but the softmax focal loss takes only the true class's probability."""
import numpy as np


def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    N, C = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    per_class = -(1 - p) ** gamma * log_p
    loss = per_class.sum(axis=1).mean()
    # d/dz of sum_j f(p_j) with f(p) = -(1-p)^g log p: f'(p) = g(1-p)^(g-1) log p - (1-p)^g / p
    fprime = gamma * (1 - p) ** (gamma - 1) * log_p - (1 - p) ** gamma / p
    dp = fprime / N
    dlogits = p * (dp - (dp * p).sum(axis=1, keepdims=True))
    return loss, dlogits
