# expect-group-fail: behaviour
"""logits -= logits.max(axis=1, keepdims=True) for stability, because in-place looks like a free memory saving, but it changes the caller's logits."""
import numpy as np


def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    logits -= logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), labels].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
