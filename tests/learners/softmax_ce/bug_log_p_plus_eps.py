# expect-group-fail: value
# diagnosis: loss capped by an eps in the log
"""loss = -log(p + 1e-5) to "avoid log(0)", because the fudge is common in tutorials, but it is not the loss: every value is off, and a hopeless prediction costs at most -log(1e-5) = 11.5."""
import numpy as np


def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    probs = softmax(logits)
    loss = -np.log(probs[np.arange(N), labels] + 1e-5).mean()
    dlogits = probs.copy()
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
