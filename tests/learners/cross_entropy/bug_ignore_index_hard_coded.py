# expect-fail: custom ignore_index (-1, and 0 as a padding id); target outside [0, C) raises ValueError
# diagnosis: ignore_index hard-coded to -100
"""The mask written as targets != -100, PyTorch's default, because every example seen used it; the
ignore_index argument is never read, so a -1 target silently indexes the last class, and no target is
validated."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not 0 <= label_smoothing <= 1:
        raise ValueError("label_smoothing")
    C = logits.shape[-1]
    mask = targets != -100
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    q = np.eye(C)[np.where(mask, targets, 0)] * (1 - label_smoothing) + label_smoothing / C
    q = q * mask[..., None]
    n = max(mask.sum(), 1)
    return float(-(q * log_probs).sum() / n), (np.exp(log_probs) * mask[..., None] - q) / n
