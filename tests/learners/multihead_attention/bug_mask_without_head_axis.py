# expect-fail: forward output shape
"""np.broadcast_to(mask, scores.shape) with scores of shape (N, num_heads, T, T): a (T, T) causal mask broadcasts right, so the code seems done, but numpy aligns the mask's last axes, so the batch axis of an (N, T, T) or (N, 1, T) mask lands on the heads axis (an error, or each example's mask given to a head)."""
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
    if mask is not None:
        scores = np.where(np.broadcast_to(mask, scores.shape), scores, -np.inf)
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
    grads = [_merge(dscores @ k), _merge(dscores.swapaxes(-1, -2) @ q), _merge(probs.swapaxes(-1, -2) @ dheads)]
    dx = grads[0] @ w_q.T + grads[1] @ w_k.T + grads[2] @ w_v.T
    return (dx, *(x.reshape(-1, D).T @ g.reshape(-1, D) for g in grads), dw_o)
