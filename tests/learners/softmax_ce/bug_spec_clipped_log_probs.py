# expect-fail: gap of 1e4 costs about 1e4
# diagnosis: loss capped by an eps in the log
"""log(np.clip(p, 1e-12, 1)): exact wherever p is not tiny, so every random value is right; only a true class far behind shows the cap, -log(1e-12) = 27.6 instead of 1e4."""
import numpy as np


def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    probs = softmax(logits)
    loss = -np.mean(np.log(np.clip(probs[np.arange(N), labels], 1e-12, 1.0)))
    dlogits = probs.copy()
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits / N
