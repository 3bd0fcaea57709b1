# expect-fail: forward values
# diagnosis: heads reshaped without a transpose
"""q = (x @ w_q).reshape(N, num_heads, T, dh): the target shape is right, so the code runs, and reshape looks like it "splits D into heads"; but without reshaping to (N, T, num_heads, dh) and transposing, each head gets a slab of the flattened (T, D) block that mixes positions and columns. Merged back with the same reshape."""
import numpy as np


def _softmax(scores, allowed):
    scores = np.where(allowed, scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.exp(scores - top)
    total = e.sum(axis=-1, keepdims=True)
    return e / np.where(total > 0, total, 1.0)


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    N, T, D = x.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    q = (x @ w_q).reshape(N, num_heads, T, dh)
    k = (x @ w_k).reshape(N, num_heads, T, dh)
    v = (x @ w_v).reshape(N, num_heads, T, dh)
    allowed = True if mask is None else np.broadcast_to(mask, (N, T, T))[:, None]
    probs = _softmax(q @ k.swapaxes(-1, -2) / np.sqrt(dh), allowed)
    heads = (probs @ v).reshape(N, T, D)
    return heads @ w_o, (x, w_q, w_k, w_v, w_o, q, k, v, probs, heads)


def mha_backward(dout, cache):
    x, w_q, w_k, w_v, w_o, q, k, v, probs, heads = cache
    N, T, D = x.shape
    dh = q.shape[-1]
    dw_o = heads.reshape(-1, D).T @ dout.reshape(-1, D)
    dheads = (dout @ w_o.T).reshape(q.shape)
    dv = probs.swapaxes(-1, -2) @ dheads
    dprobs = dheads @ v.swapaxes(-1, -2)
    dscores = probs * (dprobs - (probs * dprobs).sum(axis=-1, keepdims=True)) / np.sqrt(dh)
    dq = (dscores @ k).reshape(N, T, D)
    dk = (dscores.swapaxes(-1, -2) @ q).reshape(N, T, D)
    dv = dv.reshape(N, T, D)
    dx = dq @ w_q.T + dk @ w_k.T + dv @ w_v.T
    flat = x.reshape(-1, D)
    return dx, flat.T @ dq.reshape(-1, D), flat.T @ dk.reshape(-1, D), flat.T @ dv.reshape(-1, D), dw_o
