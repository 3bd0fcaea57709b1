# expect: pass
"""A loop over the examples and one over the heads, each head's columns sliced out of q, k and v and attended to with plain 2-D matrices, then written into its columns of the output: multi-head attention as the textbook draws it, "num_heads attentions side by side, then concatenate"."""
import numpy as np


def _softmax_rows(scores, allowed):
    """Softmax of each row over its allowed entries; a row with none stays 0."""
    scores = np.where(allowed, scores, -np.inf)
    top = scores.max(axis=1, keepdims=True)
    top[np.isinf(top)] = 0.0  # a row with no allowed entry: exp(-inf - 0) = 0 everywhere
    e = np.exp(scores - top)
    total = e.sum(axis=1, keepdims=True)
    total[total == 0] = 1.0
    return e / total


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    N, T, D = x.shape
    if D % num_heads != 0:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    allowed = np.broadcast_to(True if mask is None else mask, (N, T, T))
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    concat = np.zeros((N, T, D))
    probs = np.zeros((N, num_heads, T, T))
    for n in range(N):
        for h in range(num_heads):
            cols = slice(h * dh, (h + 1) * dh)
            scores = q[n, :, cols] @ k[n, :, cols].T / np.sqrt(dh)
            probs[n, h] = _softmax_rows(scores, allowed[n])
            concat[n, :, cols] = probs[n, h] @ v[n, :, cols]
    return concat @ w_o, (x, w_q, w_k, w_v, w_o, num_heads, q, k, v, probs, concat)


def mha_backward(dout, cache):
    x, w_q, w_k, w_v, w_o, num_heads, q, k, v, probs, concat = cache
    N, T, D = x.shape
    dh = D // num_heads
    dw_o = np.zeros((D, D))
    dx = np.zeros((N, T, D))
    dw_q, dw_k, dw_v = np.zeros((D, D)), np.zeros((D, D)), np.zeros((D, D))
    for n in range(N):
        dw_o += concat[n].T @ dout[n]
        dconcat = dout[n] @ w_o.T
        dq, dk, dv = np.zeros((T, D)), np.zeros((T, D)), np.zeros((T, D))
        for h in range(num_heads):
            cols = slice(h * dh, (h + 1) * dh)
            p = probs[n, h]
            dv[:, cols] = p.T @ dconcat[:, cols]
            dp = dconcat[:, cols] @ v[n, :, cols].T
            ds = p * (dp - (p * dp).sum(axis=1, keepdims=True))
            dq[:, cols] = ds @ k[n, :, cols] / np.sqrt(dh)
            dk[:, cols] = ds.T @ q[n, :, cols] / np.sqrt(dh)
        dx[n] = dq @ w_q.T + dk @ w_k.T + dv @ w_v.T
        dw_q += x[n].T @ dq
        dw_k += x[n].T @ dk
        dw_v += x[n].T @ dv
    return dx, dw_q, dw_k, dw_v, dw_o
