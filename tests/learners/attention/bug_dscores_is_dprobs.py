# expect-fail: gradient dq; gradient dk
# diagnosis: backward ignores the softmax's Jacobian
"""dscores = dout @ v^T passed straight to dq and dk, because backward was written by reversing the forward's matrix products and the softmax in between, having no weights, was skipped."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.arange(Tk)[None, :] <= np.arange(Tq)[:, None] + (Tk - Tq)


def attention_forward(q, k, v, mask=None):
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    allowed = np.broadcast_to(True if mask is None else mask, scores.shape)
    scores = np.where(allowed, scores, -np.inf)
    top = np.where(allowed.any(axis=-1, keepdims=True), scores.max(axis=-1, keepdims=True), 0.0)
    e = np.exp(scores - top)
    total = e.sum(axis=-1, keepdims=True)
    probs = e / np.maximum(total, 1e-300)
    return probs @ v, (q, k, v, probs)


def attention_backward(dout, cache):
    q, k, v, probs = cache
    scale = 1 / np.sqrt(q.shape[-1])
    dv = probs.swapaxes(-1, -2) @ dout
    dscores = dout @ v.swapaxes(-1, -2)
    return dscores @ k * scale, dscores.swapaxes(-1, -2) @ q * scale, dv
