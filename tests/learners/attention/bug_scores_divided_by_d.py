# expect-fail: forward values
# diagnosis: scores divided by d
"""scores = q @ k^T / d, because "scaled by the dimension" is remembered without the square root (the paper's 1/sqrt(d_k) read as 1/d_k)."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.arange(Tk) <= np.arange(Tq)[:, None] + (Tk - Tq)


def attention_forward(q, k, v, mask=None):
    d = q.shape[-1]
    scores = q @ k.transpose(0, 2, 1) / d
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top = np.where(np.isinf(top), 0.0, top)
    e = np.exp(scores - top)
    total = e.sum(axis=-1, keepdims=True)
    probs = e / np.where(total == 0, 1.0, total)
    return probs @ v, (q, k, v, probs)


def attention_backward(dout, cache):
    q, k, v, probs = cache
    d = q.shape[-1]
    dv = probs.transpose(0, 2, 1) @ dout
    dprobs = dout @ v.transpose(0, 2, 1)
    dscores = probs * (dprobs - (probs * dprobs).sum(axis=-1, keepdims=True)) / d
    return dscores @ k, dscores.transpose(0, 2, 1) @ q, dv
