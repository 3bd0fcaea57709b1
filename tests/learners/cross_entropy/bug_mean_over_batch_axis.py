# expect-fail: 3-D logits (N, T, C); N = 1
# diagnosis: mean over logits.shape[0]
"""2-D classifier code carried over to (N, T, C) logits: N = logits.shape[0] is "the batch size" and the loss is
divided by it, right for (N, C) logits without ignored positions, but a sequence has N*T positions."""
import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if not 0 <= label_smoothing <= 1:
        raise ValueError("label_smoothing")
    N, C = logits.shape[0], logits.shape[-1]
    valid = targets != ignore_index
    if np.any(valid & ((targets < 0) | (targets >= C))):
        raise ValueError("targets")
    shifted = logits - np.max(logits, axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    q = np.full(logits.shape, label_smoothing / C)
    q += (1 - label_smoothing) * np.eye(C)[np.where(valid, targets, 0)]
    q *= valid[..., None]
    if not valid.any():
        return 0.0, np.zeros_like(logits)
    loss = -np.sum(q * log_probs) / N
    dlogits = (np.exp(log_probs) * valid[..., None] - q) / N
    return float(loss), dlogits
