# expect-group-fail: value
# diagnosis: gamma applied to log p
"""Writes the loss as (-(1 - pt) * log(pt)) ** gamma, a parenthesis too far when typing "(1 - p_t) to the gamma times log p_t", which raises the whole product to the power gamma."""
import numpy as np


def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    N = len(labels)
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    log_pt = log_p[np.arange(N), labels]
    pt = np.exp(log_pt)
    base = -(1 - pt) * log_pt
    loss = np.mean(base ** gamma)
    # d base / d z_j = (pt * log_pt - (1 - pt)) * ([j = t] - p_j)
    dbase = pt * log_pt - (1 - pt)
    w = gamma * base ** (gamma - 1) * dbase if gamma > 0 else np.zeros(N)
    onehot = np.eye(logits.shape[1])[labels]
    return loss, w[:, None] * (onehot - p) / N
