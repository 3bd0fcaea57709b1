# expect-group-fail: edge
# diagnosis: log of probabilities that underflow
"""loss from np.log(softmax(logits)) with a perfectly stable softmax, because stability seems solved once the max is subtracted, but exp(-1e4) underflows to 0 and log(0) is -inf."""
import numpy as np


def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    log_probs = np.log(softmax(logits))
    loss = -log_probs[np.arange(N), labels].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
