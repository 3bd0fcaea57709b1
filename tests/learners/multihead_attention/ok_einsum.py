# expect: pass
"""Reshape and transpose to (N, H, T, dh), einsum for every product, the softmax as exp(scores - logsumexp) with np.errstate silencing the -inf of rows with no allowed key, and a dict cache: the style of someone who writes the index notation first."""
import numpy as np


def _split(a, h):
    n, t, d = a.shape
    return a.reshape(n, t, h, d // h).transpose(0, 2, 1, 3)


def _merge(a):
    n, h, t, dh = a.shape
    return a.transpose(0, 2, 1, 3).reshape(n, t, h * dh)


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    n, t, d = x.shape
    if num_heads < 1 or d % num_heads:
        raise ValueError(f"D = {d} is not a multiple of num_heads = {num_heads}")
    q, k, v = (_split(np.einsum("ntd,de->nte", x, w), num_heads) for w in (w_q, w_k, w_v))
    scale = (d // num_heads) ** -0.5
    scores = np.einsum("nhid,nhjd->nhij", q, k) * scale
    allowed = np.ones((n, 1, t, t), dtype=bool) if mask is None else np.broadcast_to(mask, (n, t, t))[:, None]
    masked = np.where(allowed, scores, -np.inf)
    top = np.max(masked, axis=-1, keepdims=True)
    top[~np.isfinite(top)] = 0.0
    with np.errstate(divide="ignore"):
        lse = top + np.log(np.exp(masked - top).sum(axis=-1, keepdims=True))
    ok = np.isfinite(lse)
    probs = np.where(allowed & ok, np.exp(masked - np.where(ok, lse, 0.0)), 0.0)
    heads = _merge(np.einsum("nhij,nhjd->nhid", probs, v))
    out = np.einsum("ntd,de->nte", heads, w_o)
    return out, {"x": x, "w": (w_q, w_k, w_v, w_o), "qkv": (q, k, v), "probs": probs, "heads": heads,
                 "scale": scale}


def mha_backward(dout, cache):
    x, (w_q, w_k, w_v, w_o), (q, k, v), probs = cache["x"], cache["w"], cache["qkv"], cache["probs"]
    num_heads = q.shape[1]
    dw_o = np.einsum("ntd,nte->de", cache["heads"], dout)
    dheads = _split(np.einsum("nte,de->ntd", dout, w_o), num_heads)
    dv = np.einsum("nhij,nhid->nhjd", probs, dheads)
    dprobs = np.einsum("nhid,nhjd->nhij", dheads, v)
    dscores = probs * (dprobs - np.einsum("nhij,nhij->nhi", probs, dprobs)[..., None])
    dq = np.einsum("nhij,nhjd->nhid", dscores, k) * cache["scale"]
    dk = np.einsum("nhij,nhid->nhjd", dscores, q) * cache["scale"]
    grads = [_merge(g) for g in (dq, dk, dv)]
    dx = sum(np.einsum("nte,de->ntd", g, w) for g, w in zip(grads, (w_q, w_k, w_v)))
    dw_q, dw_k, dw_v = (np.einsum("ntd,nte->de", x, g) for g in grads)
    return dx, dw_q, dw_k, dw_v, dw_o
