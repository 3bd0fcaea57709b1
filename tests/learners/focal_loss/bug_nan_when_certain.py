# expect-fail: logits of +-1e4: exact, no warnings; C = 1: loss 0, dlogits 0
"""Writes the weight's derivative straight from the formula, gamma * (1 - p_t)**(gamma - 1) * p_t * log p_t, which is right wherever p_t < 1; but with gamma < 1 and p_t exactly 1 it is inf * 0 = nan (the limit is 0)."""
import numpy as np


def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    probs = np.exp(log_probs)
    log_pt = log_probs[np.arange(N), labels]
    pt = np.exp(log_pt)
    q = -np.expm1(log_pt)
    loss = np.mean(-q ** gamma * log_pt)
    weight = gamma * q ** (gamma - 1) * pt * log_pt - q ** gamma
    dlogits = -probs
    dlogits[np.arange(N), labels] += 1
    return loss, dlogits * weight[:, None] / N
