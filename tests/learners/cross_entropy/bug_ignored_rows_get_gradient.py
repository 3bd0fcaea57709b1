# expect-fail: dlogits values; gradient dlogits; ignore_index -100: ignored positions cost nothing
# diagnosis: ignored positions given a gradient
"""Ignored targets replaced by 0 so that they can index, the loss masked, but the gradient softmax - onehot
computed for every position and never masked, because the mask was applied "to the loss" only."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if label_smoothing < 0 or label_smoothing > 1:
        raise ValueError("label_smoothing must be in [0, 1]")
    C = logits.shape[-1]
    mask = targets != ignore_index
    if np.any(mask & ((targets < 0) | (targets >= C))):
        raise ValueError("target outside [0, C)")
    safe = np.where(mask, targets, 0)
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    q = (1 - label_smoothing) * np.eye(C)[safe] + label_smoothing / C
    n = max(mask.sum(), 1)
    loss = -((q * log_probs).sum(axis=-1) * mask).sum() / n
    dlogits = (np.exp(log_probs) - q) / n
    return float(loss), dlogits
