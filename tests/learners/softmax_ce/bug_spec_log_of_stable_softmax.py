# expect-fail: logits of +-1e4: exact, no warnings; gap of 1e4 costs about 1e4
# diagnosis: log of probabilities that underflow
"""log(softmax(logits)) over the whole array: the values come out right at +-1e4 (the true classes are not the underflowing ones), but log(0) elsewhere warns 'divide by zero', and a true class 1e4 behind costs inf."""
import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    probs = softmax(logits)
    loss = -np.log(probs)[np.arange(N), labels].mean()
    dlogits = probs.copy()
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
