# expect-fail: logits of +-1e4: exact, no warnings
"""np.log(softmax(logits)) with a stable, max-shifted softmax, because stability seems solved once the max is
subtracted; but exp(-1e4) underflows to 0, log(0) = -inf warns, and 0 * -inf in the sum over q is NaN."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not 0 <= label_smoothing <= 1:
        raise ValueError("label_smoothing")
    C = logits.shape[-1]
    mask = targets != ignore_index
    if np.any(mask & ((targets < 0) | (targets >= C))):
        raise ValueError("target")
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probs = e / e.sum(axis=-1, keepdims=True)
    q = (np.eye(C)[np.where(mask, targets, 0)] * (1 - label_smoothing) + label_smoothing / C) * mask[..., None]
    n = max(mask.sum(), 1)
    return float(-(q * np.log(probs)).sum() / n), (probs * mask[..., None] - q) / n
