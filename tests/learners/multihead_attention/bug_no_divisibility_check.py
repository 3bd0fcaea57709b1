# expect-fail: num_heads not dividing D raises ValueError
"""dh = D // num_heads and a loop filling each head's columns of a preallocated output: it never fails, so the learner never thinks to check that num_heads divides D; with D = 6 and 4 heads it quietly attends over 4 of the 6 columns and leaves the rest 0."""
import numpy as np


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    N, T, D = x.shape
    dh = D // num_heads
    allowed = np.broadcast_to(True if mask is None else mask, (N, T, T))
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    heads = np.zeros_like(q)
    probs = np.zeros((N, num_heads, T, T))
    for h in range(num_heads):
        c = slice(h * dh, (h + 1) * dh)
        scores = np.where(allowed, q[..., c] @ k[..., c].swapaxes(1, 2) / np.sqrt(dh), -np.inf)
        top = scores.max(-1, keepdims=True)
        e = np.exp(scores - np.where(np.isfinite(top), top, 0.0))
        total = e.sum(-1, keepdims=True)
        probs[:, h] = e / np.where(total > 0, total, 1.0)
        heads[..., c] = probs[:, h] @ v[..., c]
    return heads @ w_o, (x, w_q, w_k, w_v, w_o, q, k, v, probs, heads, dh)


def mha_backward(dout, cache):
    x, w_q, w_k, w_v, w_o, q, k, v, probs, heads, dh = cache
    D = x.shape[-1]
    dw_o = heads.reshape(-1, D).T @ dout.reshape(-1, D)
    dheads = dout @ w_o.T
    dq, dk, dv = np.zeros_like(q), np.zeros_like(k), np.zeros_like(v)
    for h in range(probs.shape[1]):
        c, p = slice(h * dh, (h + 1) * dh), probs[:, h]
        dv[..., c] = p.swapaxes(1, 2) @ dheads[..., c]
        dp = dheads[..., c] @ v[..., c].swapaxes(1, 2)
        ds = p * (dp - (p * dp).sum(-1, keepdims=True)) / np.sqrt(dh)
        dq[..., c], dk[..., c] = ds @ k[..., c], ds.swapaxes(1, 2) @ q[..., c]
    dx = dq @ w_q.T + dk @ w_k.T + dv @ w_v.T
    flat = x.reshape(-1, D)
    return dx, flat.T @ dq.reshape(-1, D), flat.T @ dk.reshape(-1, D), flat.T @ dv.reshape(-1, D), dw_o
