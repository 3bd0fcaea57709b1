# expect-group-fail: value
# diagnosis: loss summed over the batch
"""Sums the per-example losses, as the paper's formula is written for one example (and RetinaNet normalises by the anchor count elsewhere), but this loss is the mean over the batch."""
import numpy as np


def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    rows = np.arange(len(labels))
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    p = np.exp(logp)
    lpt = logp[rows, labels]
    q = -np.expm1(lpt)
    loss = np.sum(-q ** gamma * lpt)
    qs = np.where(q > 0, q, 1.0)
    w = np.where(q > 0, gamma * qs ** (gamma - 1) * np.exp(lpt) * lpt, 0.0) - q ** gamma
    grad = -p
    grad[rows, labels] += 1
    return float(loss), grad * w[:, None]
