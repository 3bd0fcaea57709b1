# expect-fail: scores of +-1e4: finite, no warnings
"""exp(scores) divided by its sum with no max shift, masking by multiplying the exponentials by the mask, because the softmax is written straight from its definition and the small random test inputs never overflow."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.arange(Tk)[None, :] <= np.arange(Tq)[:, None] + (Tk - Tq)


def attention_forward(q, k, v, mask=None):
    e = np.exp(q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1]))
    if mask is not None:
        e = e * mask
    total = e.sum(axis=-1, keepdims=True)
    probs = e / np.where(total > 0, total, 1.0)
    return probs @ v, (q, k, v, probs)


def attention_backward(dout, cache):
    q, k, v, probs = cache
    scale = 1 / np.sqrt(q.shape[-1])
    dv = probs.swapaxes(-1, -2) @ dout
    dprobs = dout @ v.swapaxes(-1, -2)
    dscores = probs * (dprobs - (probs * dprobs).sum(axis=-1, keepdims=True))
    return dscores @ k * scale, dscores.swapaxes(-1, -2) @ q * scale, dv
