# expect-fail: dlogits values; gradient dlogits; logits of +-1e4: exact, no warnings; gap of 1e4 costs about 1e4
# diagnosis: dlogits missing 1/N
"""dlogits = probs - one_hot, the per-example gradient, with the 1/N of the mean forgotten; the loss is the mean, so dlogits is N times its gradient (N = 1 still passes)."""
import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N, C = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    one_hot = np.eye(C)[labels]
    return -(one_hot * log_probs).sum() / N, np.exp(log_probs) - one_hot
