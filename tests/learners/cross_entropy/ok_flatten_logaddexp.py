# expect: pass
"""Flatten to (P, C) and keep only the rows that count (boolean indexing), np.logaddexp.reduce for the
normaliser, and the smoothed loss split as PyTorch computes it: (1 - eps) * nll + eps * mean over classes of
-log_softmax; dlogits scattered back into zeros of the original shape, the loss a 0-d array."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not (0.0 <= label_smoothing <= 1.0):
        raise ValueError(f"label_smoothing={label_smoothing} is outside [0, 1]")
    C = logits.shape[-1]
    flat_logits = logits.reshape(-1, C)
    flat_targets = targets.reshape(-1)
    keep = flat_targets != ignore_index
    t = flat_targets[keep]
    if t.size and (t.min() < 0 or t.max() >= C):
        raise ValueError("target out of range")
    z = flat_logits[keep]
    log_p = z - np.logaddexp.reduce(z, axis=1, keepdims=True) if len(z) else z
    n = max(len(t), 1)
    nll = -np.take_along_axis(log_p, t[:, None], axis=1).sum()
    smooth = -log_p.sum() / C
    loss = np.asarray(((1 - label_smoothing) * nll + label_smoothing * smooth) / n)
    grad = np.exp(log_p) - label_smoothing / C
    grad[np.arange(len(t)), t] -= 1 - label_smoothing
    dflat = np.zeros_like(flat_logits)
    dflat[keep] = grad / n
    return loss, dflat.reshape(logits.shape)
