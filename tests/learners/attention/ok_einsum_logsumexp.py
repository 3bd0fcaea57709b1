# expect: pass
"""einsum for every product, the softmax as exp(scores - logsumexp) over the allowed keys with np.errstate silencing the -inf of empty rows, and a dict cache, the style of someone who thinks in index notation."""
import numpy as np


def causal_mask(Tq, Tk=None):
    Tk = Tq if Tk is None else Tk
    return np.tril(np.ones((Tq, Tk), dtype=bool), k=Tk - Tq)


def attention_forward(q, k, v, mask=None):
    scale = q.shape[-1] ** -0.5
    scores = np.einsum("nid,njd->nij", q, k) * scale
    allowed = np.broadcast_to(True if mask is None else mask, scores.shape)
    masked = np.where(allowed, scores, -np.inf)
    top = np.max(masked, axis=-1, keepdims=True, initial=-np.inf)
    top[~np.isfinite(top)] = 0.0
    with np.errstate(divide="ignore"):
        lse = top + np.log(np.exp(masked - top).sum(axis=-1, keepdims=True))  # -inf for a row with no key
    probs = np.where(allowed & np.isfinite(lse), np.exp(masked - np.where(np.isfinite(lse), lse, 0.0)), 0.0)
    out = np.einsum("nij,nje->nie", probs, v)
    return out, {"q": q, "k": k, "v": v, "probs": probs, "scale": scale}


def attention_backward(dout, cache):
    probs, scale = cache["probs"], cache["scale"]
    dv = np.einsum("nij,nie->nje", probs, dout)
    dprobs = np.einsum("nie,nje->nij", dout, cache["v"])
    dscores = probs * (dprobs - np.einsum("nij,nij->ni", probs, dprobs)[..., None])
    dq = np.einsum("nij,njd->nid", dscores, cache["k"]) * scale
    dk = np.einsum("nij,nid->njd", dscores, cache["q"]) * scale
    return dq, dk, dv
