# expect-fail: every position ignored: loss 0, dlogits 0
# diagnosis: every position ignored gives NaN
"""The mean over kept positions as sum / mask.sum(), exactly PyTorch's formula, because it is right whenever
anything is kept; with every position ignored (a batch of padding) it is 0/0, NaN with a warning."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not 0 <= label_smoothing <= 1:
        raise ValueError("label_smoothing")
    C = logits.shape[-1]
    mask = targets != ignore_index
    if np.any(mask & ((targets < 0) | (targets >= C))):
        raise ValueError("target")
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    q = np.eye(C)[np.where(mask, targets, 0)] * (1 - label_smoothing) + label_smoothing / C
    q = q * mask[..., None]
    loss = -(q * log_probs).sum() / mask.sum()
    dlogits = (np.exp(log_probs) * mask[..., None] - q) / mask.sum()
    return float(loss), dlogits
