# expect: pass
"""A hand-written logsumexp helper (no scipy), log-softmax from it, and the gradient built from an explicit one-hot matrix."""
import numpy as np


def _logsumexp(z):
    m = np.max(z, axis=-1, keepdims=True)
    return m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))


def softmax(x):
    return np.exp(x - _logsumexp(x))


def softmax_cross_entropy(logits, labels):
    N, C = logits.shape
    log_softmax = logits - _logsumexp(logits)
    one_hot = np.eye(C)[labels]
    loss = float(-np.sum(one_hot * log_softmax) / N)
    dlogits = (np.exp(log_softmax) - one_hot) / N
    return loss, dlogits
