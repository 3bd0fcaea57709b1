# expect-fail: forward values; mask (Tq, Tk) broadcast over the batch; padding mask (N, 1, Tk)
# diagnosis: mask meaning inverted
"""The mask read as "True = leave this key out", because PyTorch's key_padding_mask (and nn.Transformer's src_key_padding_mask) mark padded positions with True, and that convention was learned first."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.arange(Tk)[None, :] <= np.arange(Tq)[:, None] + (Tk - Tq)


def attention_forward(q, k, v, mask=None):
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    keep = np.ones(scores.shape, dtype=bool) if mask is None else ~np.broadcast_to(mask, scores.shape)
    shifted = np.where(keep, scores, -np.inf)
    top = shifted.max(axis=-1, keepdims=True)
    e = np.where(keep, np.exp(shifted - np.where(keep.any(axis=-1, keepdims=True), top, 0.0)), 0.0)
    total = e.sum(axis=-1, keepdims=True)
    probs = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
    return probs @ v, (q, k, v, probs)


def attention_backward(dout, cache):
    q, k, v, probs = cache
    dv = probs.swapaxes(-1, -2) @ dout
    dprobs = dout @ v.swapaxes(-1, -2)
    dscores = probs * (dprobs - (probs * dprobs).sum(axis=-1, keepdims=True)) / np.sqrt(q.shape[-1])
    return dscores @ k, dscores.swapaxes(-1, -2) @ q, dv
