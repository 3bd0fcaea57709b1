# expect: pass
"""The Gumbel-max trick: argmax(log p + Gumbel noise) is a draw from p, one Gumbel number per token and row
(rng.gumbel). Filtered tokens have log p = -inf and are never drawn; top-k takes the k-th value from
np.argpartition and compares with it (ties kept), and temperature 0 is handled before any division."""
import numpy as np


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError("logits must be 2-D")
    if temperature < 0 or (top_k is not None and top_k < 1) or (top_p is not None and not 0 < top_p <= 1):
        raise ValueError("bad arguments")
    if temperature == 0:
        return np.eye(logits.shape[1])[logits.argmax(1)]
    return np.exp(_filtered_logp(logits, temperature, top_k, top_p))


def _filtered_logp(logits, temperature, top_k, top_p):
    z = logits / temperature
    N, V = z.shape
    if top_k is not None:
        k = min(top_k, V)
        # k-th largest via argpartition, then compare (ties kept)
        idx = np.argpartition(-z, k - 1, axis=1)[:, k - 1]
        kth = z[np.arange(N), idx][:, None]
        z = np.where(z >= kth, z, -np.inf)
    logp = z - z.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    if top_p is not None:
        p = np.exp(logp)
        order = np.argsort(-p, axis=1, kind="mergesort")
        sp = np.take_along_axis(p, order, 1)
        cum = np.cumsum(sp, 1)
        remove_sorted = (cum - sp) >= top_p
        remove = np.zeros_like(remove_sorted)
        np.put_along_axis(remove, order, remove_sorted, 1)
        logp = np.where(remove, -np.inf, logp)
        logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    return logp


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    logits = np.asarray(logits, dtype=np.float64)
    if temperature == 0:
        sampling_probs(logits, temperature, top_k, top_p)
        return np.argmax(logits, axis=1)
    logp = _filtered_logp(logits, temperature, top_k, top_p) if temperature > 0 else sampling_probs(logits, temperature)
    g = rng.gumbel(size=logp.shape)
    return np.argmax(logp + g, axis=1)
