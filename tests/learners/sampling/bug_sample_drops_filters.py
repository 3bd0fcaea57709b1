# expect-fail: only tokens of nonzero probability drawn
"""sample calls sampling_probs(logits, temperature) and forgets to pass top_k and top_p on: filtered tokens are
drawn."""
import numpy as np


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError("logits must be 2-D")
    if temperature < 0:
        raise ValueError("temperature")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError("top_p")
    N, V = logits.shape
    if temperature == 0:
        out = np.zeros((N, V))
        out[np.arange(N), logits.argmax(1)] = 1
        return out
    z = logits / temperature
    if top_k is not None:
        k = min(top_k, V)
        kth = np.sort(z, axis=1)[:, -k][:, None]
        z = np.where(z >= kth, z, -np.inf)
    p = np.exp(z - z.max(1, keepdims=True))
    p = p / p.sum(1, keepdims=True)
    if top_p is not None:
        o = np.argsort(-p, axis=1, kind="stable")
        sp = np.take_along_axis(p, o, 1)
        keep_sorted = np.cumsum(sp, 1) - sp < top_p
        keep = np.zeros_like(keep_sorted)
        np.put_along_axis(keep, o, keep_sorted, 1)
        p = np.where(keep, p, 0)
        p = p / p.sum(1, keepdims=True)
    return p


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    p = sampling_probs(logits, temperature)
    cdf = np.cumsum(p, axis=1)
    u = rng.random((len(p), 1))
    return (cdf < u * cdf[:, -1:]).sum(axis=1)
