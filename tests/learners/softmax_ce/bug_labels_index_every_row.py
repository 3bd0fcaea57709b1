# expect-group-fail: value
# diagnosis: every label picked in every row
"""log_probs[:, labels] instead of log_probs[np.arange(N), labels], because ":" reads as "every row", but it picks all N labels in every row, an (N, N) block, and averages the wrong numbers."""
import numpy as np


def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[:, labels].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
