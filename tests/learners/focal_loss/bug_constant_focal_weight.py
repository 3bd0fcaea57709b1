# expect-fail: gradient dlogits
# diagnosis: focusing factor held constant in the gradient
"""Weights the cross-entropy gradient (p - onehot)/N by (1 - p_t)**gamma, because the focal loss "is a weighted cross-entropy", but the weight depends on the logits and its own derivative is missing."""
import numpy as np


def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    N = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    log_pt = log_probs[np.arange(N), labels]
    weight = (-np.expm1(log_pt)) ** gamma
    loss = np.mean(-weight * log_pt)
    dlogits = probs.copy()
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits * weight[:, None] / N
