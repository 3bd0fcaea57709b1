# expect-fail: loss is a real scalar
"""Returns the per-sample losses, an array of shape (N,), and forgets the mean: dlogits is right, but loss must be one number."""
import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return -log_probs[np.arange(N), labels], dlogits / N
