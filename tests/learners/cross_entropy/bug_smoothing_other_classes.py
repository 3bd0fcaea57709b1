# expect-fail: loss values; label_smoothing 0.3 and 1; C = 1: loss 0, dlogits 0
# diagnosis: smoothing spread over the other classes only
"""Label smoothing as "1 - eps on the right class, the eps shared among the C - 1 wrong ones", the version of many
blog posts, because it reads as "move eps of mass off the target"; PyTorch (and the original Inception paper)
spread eps/C over ALL classes, and with C = 1 this one divides by zero."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not 0 <= label_smoothing <= 1:
        raise ValueError("bad label_smoothing")
    C = logits.shape[-1]
    mask = targets != ignore_index
    if np.any(mask & ((targets < 0) | (targets >= C))):
        raise ValueError("bad target")
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    onehot = np.eye(C)[np.where(mask, targets, 0)]
    q = onehot * (1 - label_smoothing) + (1 - onehot) * label_smoothing / (C - 1)
    q = q * mask[..., None]
    n = max(mask.sum(), 1)
    loss = -(q * log_probs).sum() / n
    dlogits = (np.exp(log_probs) * mask[..., None] - q) / n
    return float(loss), dlogits
