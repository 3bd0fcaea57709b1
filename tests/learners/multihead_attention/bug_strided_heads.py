# expect-fail: forward values
# diagnosis: heads take every num_heads-th column
"""a.reshape(N, T, dh, num_heads) then moving the last axis forward: both orders of (num_heads, dh) give an array of the right size, and the learner picked the wrong one, so head h gets the columns h, h + num_heads, ... instead of a contiguous block. The merge is its exact inverse, so everything else is consistent."""
import numpy as np


def _split(a, h):
    N, T, D = a.shape
    return a.reshape(N, T, D // h, h).transpose(0, 3, 1, 2)  # (N, H, T, dh)


def _merge(a):
    N, H, T, dh = a.shape
    return a.transpose(0, 2, 3, 1).reshape(N, T, dh * H)


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    N, T, D = x.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    q, k, v = (_split(x @ w, num_heads) for w in (w_q, w_k, w_v))
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(D // num_heads)
    if mask is not None:
        scores = np.where(np.broadcast_to(mask, (N, T, T))[:, None], scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top = np.where(np.isneginf(top), 0.0, top)
    e = np.exp(scores - top)
    total = e.sum(axis=-1, keepdims=True)
    probs = e / np.where(total == 0, 1.0, total)
    heads = _merge(probs @ v)
    return heads @ w_o, (x, (w_q, w_k, w_v), w_o, (q, k, v), probs, heads)


def mha_backward(dout, cache):
    x, ws, w_o, (q, k, v), probs, heads = cache
    D = x.shape[-1]
    dw_o = heads.reshape(-1, D).T @ dout.reshape(-1, D)
    dheads = _split(dout @ w_o.T, q.shape[1])
    dprobs = dheads @ v.swapaxes(-1, -2)
    dscores = probs * (dprobs - (probs * dprobs).sum(-1, keepdims=True)) / np.sqrt(q.shape[-1])
    grads = [_merge(dscores @ k), _merge(dscores.swapaxes(-1, -2) @ q), _merge(probs.swapaxes(-1, -2) @ dheads)]
    dx = sum(g @ w.T for g, w in zip(grads, ws))
    dws = [x.reshape(-1, D).T @ g.reshape(-1, D) for g in grads]
    return (dx, *dws, dw_o)
