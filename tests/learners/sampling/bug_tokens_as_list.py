# expect-fail: output shapes
"""Right draws returned as a Python list ([rng.choice(V, p=p) for p in probs]): the docstring asks for a numpy
integer array, so the shape row says 'got a list' (np.array(tokens) fixes it)."""
import numpy as np


def _softmax(z):
    z = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    logits = np.asarray(logits, dtype=float)
    if logits.ndim != 2:
        raise ValueError("2-D")
    if temperature < 0:
        raise ValueError("temperature")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k")
    if top_p is not None and (top_p <= 0 or top_p > 1):
        raise ValueError("top_p")
    N, V = logits.shape
    out = np.zeros((N, V))
    for i in range(N):
        row = logits[i]
        if temperature == 0:
            out[i, int(np.argmax(row))] = 1.0
            continue
        z = row / temperature
        if top_k is not None:
            k = min(top_k, V)
            kth = sorted(z, reverse=True)[k - 1]
            z = np.array([x if x >= kth else -np.inf for x in z])
        p = _softmax(z)
        if top_p is not None:
            idx = sorted(range(V), key=lambda j: -p[j])  # Python sort is stable
            cum = 0.0
            keep = np.zeros(V, dtype=bool)
            for j in idx:
                if cum < top_p:
                    keep[j] = True
                cum += p[j]
            p = np.where(keep, p, 0.0)
            p = p / p.sum()
        out[i] = p
    return out


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    probs = sampling_probs(logits, temperature, top_k, top_p)
    return [int(rng.choice(probs.shape[1], p=p)) for p in probs]
