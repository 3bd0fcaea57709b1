# expect-fail: loss values; dlogits values; ignore_index -100: ignored positions cost nothing
# diagnosis: mean over every position, ignored ones included
"""Ignored positions masked out of the sum, then .mean() over the masked per-position costs, because .mean() is
what the unmasked loss used; the zeros of the ignored positions still count in the denominator."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError("label_smoothing outside [0, 1]")
    C = logits.shape[-1]
    mask = (targets != ignore_index).astype(float)
    if np.any((mask > 0) & ((targets < 0) | (targets >= C))):
        raise ValueError("target outside [0, C)")
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    q = (1 - label_smoothing) * np.eye(C)[np.where(mask > 0, targets, 0)] + label_smoothing / C
    per_position = -(q * log_probs).sum(axis=-1) * mask
    loss = per_position.mean()
    dlogits = (np.exp(log_probs) - q) * mask[..., None] / mask.size
    return loss, dlogits
