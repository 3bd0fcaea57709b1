# expect-fail: probs values; logits of +-1e4: exact, no warnings; C = 1: probs 1, loss 0; N = 1
# diagnosis: softmax down the columns
"""softmax normalised down each column (axis=0), the habit of column-vector notes; the loss is computed separately and correctly, so only probs is wrong (and with N = 1 every probability is 1)."""
import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return -log_probs[np.arange(N), labels].mean(), dlogits / N
