# expect: pass
"""Loops over the examples, the heads and the queries, one head's columns sliced out at a time and each query's softmax taken over the list of its allowed keys: attention derived query by query, then "run it num_heads times on slices of q, k and v and concatenate"."""
import math

import numpy as np


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    N, T, D = x.shape
    if D % num_heads != 0:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    allowed = np.ones((N, T, T), dtype=bool) if mask is None else np.broadcast_to(mask, (N, T, T))
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    heads = np.zeros((N, T, D))
    probs = np.zeros((N, num_heads, T, T))
    for n in range(N):
        for h in range(num_heads):
            cols = slice(h * dh, (h + 1) * dh)
            for i in range(T):
                keys = [j for j in range(T) if allowed[n, i, j]]
                if not keys:
                    continue  # no key to attend to: this head's output stays 0
                scores = k[n, keys, cols] @ q[n, i, cols] / math.sqrt(dh)
                e = np.exp(scores - scores.max())
                probs[n, h, i, keys] = e / e.sum()
                heads[n, i, cols] = probs[n, h, i] @ v[n, :, cols]
    out = heads @ w_o
    return out, (x, w_q, w_k, w_v, w_o, num_heads, q, k, v, probs, heads)


def mha_backward(dout, cache):
    x, w_q, w_k, w_v, w_o, num_heads, q, k, v, probs, heads = cache
    N, T, D = x.shape
    dh = D // num_heads
    dw_o = np.zeros((D, D))
    for n in range(N):
        dw_o += heads[n].T @ dout[n]
    dheads = dout @ w_o.T
    dq, dk, dv = np.zeros((N, T, D)), np.zeros((N, T, D)), np.zeros((N, T, D))
    for n in range(N):
        for h in range(num_heads):
            cols = slice(h * dh, (h + 1) * dh)
            p = probs[n, h]
            dv[n, :, cols] = p.T @ dheads[n, :, cols]
            dp = dheads[n, :, cols] @ v[n, :, cols].T
            ds = np.zeros((T, T))
            for i in range(T):
                ds[i] = p[i] * (dp[i] - p[i] @ dp[i])
            dq[n, :, cols] = ds @ k[n, :, cols] / math.sqrt(dh)
            dk[n, :, cols] = ds.T @ q[n, :, cols] / math.sqrt(dh)
    dx = np.zeros((N, T, D))
    dw_q, dw_k, dw_v = np.zeros((D, D)), np.zeros((D, D)), np.zeros((D, D))
    for n in range(N):
        dx[n] = dq[n] @ w_q.T + dk[n] @ w_k.T + dv[n] @ w_v.T
        dw_q += x[n].T @ dq[n]
        dw_k += x[n].T @ dk[n]
        dw_v += x[n].T @ dv[n]
    return dx, dw_q, dw_k, dw_v, dw_o
