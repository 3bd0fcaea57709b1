# expect-fail: dlogits values; gradient dlogits
# diagnosis: dlogits sign flipped
"""dlogits = (one_hot - probs) / N, the sign of the descent direction rather than of the gradient, because the update goes "towards the label"."""
import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N, C = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    one_hot = np.eye(C)[labels]
    return -(one_hot * log_probs).sum() / N, (one_hot - np.exp(log_probs)) / N
