# expect-fail: forward values; mask (T, T) broadcast over the batch; padding mask (N, 1, T)
# diagnosis: mask applied after the softmax
"""probs = softmax(scores) * mask: multiplying by the boolean mask looks like the simplest way to "remove" the forbidden keys, forgetting that the remaining probabilities no longer sum to 1. The backward differentiates that same forward."""
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
    e = np.exp(scores - scores.max(-1, keepdims=True))
    soft = e / e.sum(-1, keepdims=True)
    keep = np.ones((N, 1, T, T)) if mask is None else np.broadcast_to(mask, (N, T, T))[:, None].astype(float)
    probs = soft * keep
    heads = _merge(probs @ v)
    return heads @ w_o, (x, w_q, w_k, w_v, w_o, q, k, v, soft, keep, heads)


def mha_backward(dout, cache):
    x, w_q, w_k, w_v, w_o, q, k, v, soft, keep, heads = cache
    D = x.shape[-1]
    dw_o = heads.reshape(-1, D).T @ dout.reshape(-1, D)
    dheads = _split(dout @ w_o.T, q.shape[1])
    dv = (soft * keep).swapaxes(-1, -2) @ dheads
    dsoft = (dheads @ v.swapaxes(-1, -2)) * keep
    dscores = soft * (dsoft - (soft * dsoft).sum(-1, keepdims=True)) / np.sqrt(q.shape[-1])
    grads = [_merge(dscores @ k), _merge(dscores.swapaxes(-1, -2) @ q), _merge(dv)]
    dx = grads[0] @ w_q.T + grads[1] @ w_k.T + grads[2] @ w_v.T
    return (dx, *(x.reshape(-1, D).T @ g.reshape(-1, D) for g in grads), dw_o)
