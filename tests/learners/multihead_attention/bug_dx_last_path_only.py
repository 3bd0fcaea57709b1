# expect-fail: gradient dx
# diagnosis: dx misses a path through q, k or v
"""One loop over the three projections computes each weight's gradient and "the" dx: written dx = ... where dx += ... was meant, so only the value path survives. Every weight's gradient is right, and on one position dx even is."""
import numpy as np


def _split(a, h):
    N, T, D = a.shape
    return a.reshape(N, T, h, D // h).transpose(0, 2, 1, 3)


def _merge(a):
    N, H, T, dh = a.shape
    return a.transpose(0, 2, 1, 3).reshape(N, T, H * dh)


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    N, T, D = x.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    q, k, v = (_split(x @ w, num_heads) for w in (w_q, w_k, w_v))
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])
    allowed = True if mask is None else np.broadcast_to(mask, (N, T, T))[:, None]
    scores = np.where(allowed, scores, -np.inf)
    top = scores.max(-1, keepdims=True)
    e = np.exp(scores - np.where(np.isfinite(top), top, 0.0))
    total = e.sum(-1, keepdims=True)
    probs = e / np.where(total > 0, total, 1.0)
    heads = _merge(probs @ v)
    return heads @ w_o, (x, w_q, w_k, w_v, w_o, q, k, v, probs, heads)


def mha_backward(dout, cache):
    x, w_q, w_k, w_v, w_o, q, k, v, probs, heads = cache
    D = x.shape[-1]
    dw_o = heads.reshape(-1, D).T @ dout.reshape(-1, D)
    dheads = _split(dout @ w_o.T, q.shape[1])
    dprobs = dheads @ v.swapaxes(-1, -2)
    dscores = probs * (dprobs - (probs * dprobs).sum(-1, keepdims=True)) / np.sqrt(q.shape[-1])
    dws = []
    for d, w in ((dscores @ k, w_q), (dscores.swapaxes(-1, -2) @ q, w_k), (probs.swapaxes(-1, -2) @ dheads, w_v)):
        d = _merge(d)
        dws.append(x.reshape(-1, D).T @ d.reshape(-1, D))
        dx = d @ w.T
    return (dx, *dws, dw_o)
