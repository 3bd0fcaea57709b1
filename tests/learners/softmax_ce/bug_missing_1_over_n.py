# expect-group-fail: gradient
# diagnosis: dlogits missing 1/N
"""dlogits = softmax - onehot without the 1/N, because that is the famous per-example gradient and the mean over the batch is forgotten on the way back."""
import numpy as np


def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), labels].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits
