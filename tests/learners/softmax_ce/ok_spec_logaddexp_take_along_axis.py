# expect: pass
"""np.logaddexp.reduce for the log-normaliser (stable by construction), np.take_along_axis for the true class, the loss returned as a 0-d array, and softmax over axis=-1."""
import numpy as np


def softmax(x):
    return np.exp(x - np.logaddexp.reduce(x, axis=-1, keepdims=True))


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    log_probs = logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)
    picked = np.take_along_axis(log_probs, labels[:, None], axis=1)
    loss = np.asarray(-picked.sum() / n)
    dlogits = np.exp(log_probs)
    np.put_along_axis(dlogits, labels[:, None], np.take_along_axis(dlogits, labels[:, None], axis=1) - 1, axis=1)
    return loss, dlogits / n
