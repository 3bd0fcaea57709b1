# expect-group-fail: value
# diagnosis: softmax over the whole array
"""e / e.sum() normalises over the whole batch instead of each row, because np.sum without axis is the default and a single example (N = 1) looks right."""
import numpy as np


def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    probs = softmax(logits)
    loss = -np.log(probs[np.arange(N), labels]).mean()
    dlogits = probs.copy()
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
