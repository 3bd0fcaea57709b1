# expect-group-fail: value
# diagnosis: loss summed over the batch
"""The loss summed over the batch instead of averaged (and dlogits without the 1/N to match), because the per-example loss is a sum over classes and the sum carries over to the batch."""
import numpy as np


def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), labels].sum()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(N), labels] -= 1
    return loss, dlogits
