# expect-fail: logits of +-1e4: exact, no warnings
"""Takes np.log of a stable softmax's probability, because the max shift seems to settle stability, but p_t underflows to 0 when the true class trails by 1e4, and log(0) is -inf."""
import numpy as np


def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    N = logits.shape[0]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    pt = p[np.arange(N), labels]
    log_pt = np.log(pt)
    loss = np.mean(-(1 - pt) ** gamma * log_pt)
    w = gamma * (1 - pt) ** (gamma - 1) * pt * log_pt - (1 - pt) ** gamma
    onehot = np.zeros_like(p)
    onehot[np.arange(N), labels] = 1
    return loss, w[:, None] * (onehot - p) / N
