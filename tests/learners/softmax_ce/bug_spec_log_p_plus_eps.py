# expect-fail: loss values; logits of +-1e4: exact, no warnings; gap of 1e4 costs about 1e4; C = 1: probs 1, loss 0; N = 1
# diagnosis: loss capped by an eps in the log
"""The classic -log(p + 1e-5), with a one-hot gradient: dlogits is right (the gradient row only notes that it does not match the loss), but every loss is off by about 1e-5/p and a gap of 1e4 costs at most 11.5."""
import numpy as np


def softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    N, C = logits.shape
    probs = softmax(logits)
    one_hot = np.eye(C)[labels]
    loss = -np.sum(one_hot * np.log(probs + 1e-5)) / N
    return loss, (probs - one_hot) / N
