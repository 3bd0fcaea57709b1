# expect-fail: inputs not modified
"""targets[targets == ignore_index] = 0 so that ignored positions can index the one-hot, because it looks like
a local fix-up; but it writes into the caller's targets, which then no longer say which positions were ignored."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not 0 <= label_smoothing <= 1:
        raise ValueError("label_smoothing")
    C = logits.shape[-1]
    mask = targets != ignore_index
    if np.any(mask & ((targets < 0) | (targets >= C))):
        raise ValueError("target")
    targets[~mask] = 0
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    q = (np.eye(C)[targets] * (1 - label_smoothing) + label_smoothing / C) * mask[..., None]
    n = max(mask.sum(), 1)
    return float(-(q * log_probs).sum() / n), (np.exp(log_probs) * mask[..., None] - q) / n
