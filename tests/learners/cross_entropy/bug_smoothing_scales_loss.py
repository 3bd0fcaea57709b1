# expect-fail: loss values; dlogits values; label_smoothing 0.3 and 1
# diagnosis: smoothing as (1 - eps) times the loss
"""Label smoothing taken as "trust the label only 1 - eps": the usual loss and gradient multiplied by
(1 - eps), because the target's weight is the part that is remembered; the uniform eps/C part of q is forgotten,
so with eps = 1 the loss is 0."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if label_smoothing < 0 or label_smoothing > 1:
        raise ValueError("label_smoothing must be in [0, 1]")
    C = logits.shape[-1]
    keep = targets != ignore_index
    if ((targets[keep] < 0) | (targets[keep] >= C)).any():
        raise ValueError("target out of range")
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    safe = np.where(keep, targets, 0)
    picked = np.take_along_axis(log_probs, safe[..., None], axis=-1)[..., 0]
    n = max(int(keep.sum()), 1)
    loss = -(1 - label_smoothing) * (picked * keep).sum() / n
    dlogits = np.exp(log_probs)
    np.put_along_axis(dlogits, safe[..., None], np.take_along_axis(dlogits, safe[..., None], axis=-1) - 1, axis=-1)
    dlogits *= (1 - label_smoothing) * keep[..., None] / n
    return float(loss), dlogits
