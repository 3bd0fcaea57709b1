# expect-fail: loss values; dlogits values
"""The one-hot part masked at ignored positions but the uniform eps/C added afterwards to every position,
because smoothing was bolted on as q = onehot * mask * (1 - eps) + eps / C: an ignored position then costs
eps/C * -sum(log_softmax) and gets a gradient."""
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
    q = np.eye(C)[np.where(mask, targets, 0)] * mask[..., None] * (1 - label_smoothing) + label_smoothing / C
    n = max(mask.sum(), 1)
    loss = -(q * log_probs).sum() / n
    return float(loss), (np.exp(log_probs) * mask[..., None] - q) / n
