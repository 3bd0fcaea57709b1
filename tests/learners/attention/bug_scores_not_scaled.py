# expect-fail: forward values
# diagnosis: scores not scaled
"""scores = q @ k^T with no scale at all, because attention is remembered as "softmax of the dot products" and the 1/sqrt(d) looks like an optional trick for training stability."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.tril(np.ones((Tq, Tk), dtype=bool), Tk - Tq)


def attention_forward(q, k, v, mask=None):
    scores = np.matmul(q, np.swapaxes(k, 1, 2))
    if mask is not None:
        scores = np.where(np.broadcast_to(mask, scores.shape), scores, -np.inf)
    top = np.max(scores, axis=2, keepdims=True)
    top[np.isneginf(top)] = 0.0
    e = np.exp(scores - top)
    total = np.sum(e, axis=2, keepdims=True)
    total[total == 0] = 1.0
    probs = e / total
    return np.matmul(probs, v), (q, k, v, probs)


def attention_backward(dout, cache):
    q, k, v, probs = cache
    dv = np.matmul(np.swapaxes(probs, 1, 2), dout)
    dprobs = np.matmul(dout, np.swapaxes(v, 1, 2))
    dscores = probs * (dprobs - np.sum(probs * dprobs, axis=2, keepdims=True))
    return np.matmul(dscores, k), np.matmul(np.swapaxes(dscores, 1, 2), q), dv
