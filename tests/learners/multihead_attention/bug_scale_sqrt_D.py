# expect-fail: forward values
# diagnosis: scaled by sqrt(D) instead of sqrt(dh)
"""scores / np.sqrt(D): "Attention Is All You Need" writes the scale as 1/sqrt(d_k), and D is the model's width in sight here, so the single-head formula is carried over unchanged; with several heads each dot product only has dh = D // num_heads terms."""
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
    q, k, v = _split(x @ w_q, num_heads), _split(x @ w_k, num_heads), _split(x @ w_v, num_heads)
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(D)
    allowed = np.ones((N, 1, T, T), dtype=bool) if mask is None else np.broadcast_to(mask, (N, T, T))[:, None]
    scores = np.where(allowed, scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top[~np.isfinite(top)] = 0.0
    e = np.exp(scores - top)
    total = e.sum(axis=-1, keepdims=True)
    probs = e / np.maximum(total, 1e-300)
    heads = _merge(probs @ v)
    return heads @ w_o, (x, w_q, w_k, w_v, w_o, q, k, v, probs, heads)


def mha_backward(dout, cache):
    x, w_q, w_k, w_v, w_o, q, k, v, probs, heads = cache
    D = x.shape[-1]
    dw_o = np.einsum("ntd,nte->de", heads, dout)
    dh = _split(dout @ w_o.T, q.shape[1])
    dv = probs.swapaxes(-1, -2) @ dh
    dp = dh @ v.swapaxes(-1, -2)
    ds = probs * (dp - (probs * dp).sum(-1, keepdims=True)) / np.sqrt(D)
    dq, dk, dv = _merge(ds @ k), _merge(ds.swapaxes(-1, -2) @ q), _merge(dv)
    dx = dq @ w_q.T + dk @ w_k.T + dv @ w_v.T
    return (dx, np.einsum("ntd,nte->de", x, dq), np.einsum("ntd,nte->de", x, dk),
            np.einsum("ntd,nte->de", x, dv), dw_o)
