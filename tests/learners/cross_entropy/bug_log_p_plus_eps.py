# expect-fail: logits of +-1e4: exact, no warnings
# diagnosis: loss capped by an eps in the log
"""softmax first, then -log(p + 1e-9) "to avoid log(0)", the tutorial fudge, with the textbook gradient
softmax - q: every loss is off by about 1e-9/p, too little to see on random logits, but a target 1e4
behind costs at most -log(1e-9) = 20.7 instead of 1e4."""
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
    loss = -(q * np.log(probs + 1e-9)).sum() / n
    return float(loss), (probs * mask[..., None] - q) / n
