# expect-fail: logits of +-1e4: exact, no warnings
# diagnosis: softmax without the max shift
"""softmax as exp(x) / sum(exp(x)) with no max subtraction, while the loss uses a proper log-sum-exp: small logits are exact, but exp(1e4) overflows to inf and the probabilities become NaN."""
import numpy as np


def softmax(x):
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return -log_probs[np.arange(N), labels].mean(), dlogits / N
