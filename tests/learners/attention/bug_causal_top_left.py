# expect-fail: causal_mask values; causal_mask with Tq < Tk (aligned bottom-right); causal_mask with Tq > Tk
# diagnosis: causal mask aligned top-left
"""np.tril(np.ones((Tq, Tk))), because PyTorch's is_causal=True and torch.tril build the triangle from the top-left corner, which is right only while Tq == Tk."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.tril(np.ones((Tq, Tk), dtype=bool))


def attention_forward(q, k, v, mask=None):
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    allowed = np.broadcast_to(True if mask is None else mask, scores.shape)
    scores = np.where(allowed, scores, -np.inf)
    top = np.where(allowed.any(axis=-1, keepdims=True), scores.max(axis=-1, keepdims=True), 0.0)
    e = np.exp(scores - top)
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
