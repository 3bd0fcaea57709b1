# expect-group-fail: edge
# diagnosis: softmax without the max shift
"""exp(logits) without subtracting the row maximum, because the formula is right on paper and small random logits never overflow, but exp(1e4) is inf and inf/inf is NaN."""
import numpy as np


def softmax(x):
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    log_probs = np.log(softmax(logits))
    loss = -log_probs[np.arange(N), labels].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
