# expect-fail: forward values; mask (Tq, Tk) broadcast over the batch; padding mask (N, 1, Tk)
# diagnosis: mask applied after the softmax
"""probs = softmax(scores) * mask, because masking "removes" the forbidden keys and multiplying by the boolean mask looks like the simplest way to remove them, forgetting that the remaining probabilities no longer sum to 1."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.arange(Tk)[None, :] <= np.arange(Tq)[:, None] + Tk - Tq


def attention_forward(q, k, v, mask=None):
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs = e / e.sum(axis=-1, keepdims=True)
    if mask is not None:
        probs = probs * mask
    return probs @ v, (q, k, v, probs, mask)


def attention_backward(dout, cache):
    q, k, v, probs, mask = cache
    dv = probs.swapaxes(-1, -2) @ dout
    dprobs = dout @ v.swapaxes(-1, -2)
    full = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    soft = np.exp(full - full.max(axis=-1, keepdims=True))
    soft /= soft.sum(axis=-1, keepdims=True)
    if mask is not None:
        dprobs = dprobs * mask
    dscores = soft * (dprobs - (soft * dprobs).sum(axis=-1, keepdims=True)) / np.sqrt(q.shape[-1])
    return dscores @ k, dscores.swapaxes(-1, -2) @ q, dv
