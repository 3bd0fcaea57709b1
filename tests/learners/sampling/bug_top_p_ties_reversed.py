# expect-fail: top-p ties: lower index first
# diagnosis: top-p ties to the higher index
"""The descending order as np.argsort(probs)[:, ::-1], the usual way to sort descending, which reverses the order
of tied probabilities too: of two equal tokens the higher index enters the nucleus first."""
import numpy as np


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    if logits.ndim != 2:
        raise ValueError("logits must be (N, V)")
    if temperature < 0 or (top_k is not None and top_k < 1) or (top_p is not None and not 0 < top_p <= 1):
        raise ValueError("bad temperature, top_k or top_p")
    N, V = logits.shape
    if temperature == 0:
        return np.eye(V)[np.argmax(logits, axis=1)]
    z = logits / temperature
    if top_k is not None:
        kth = np.sort(z, axis=1)[:, V - min(top_k, V)][:, None]
        z = np.where(z >= kth, z, -np.inf)
    z = z - z.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    if top_p is not None:
        order = np.argsort(probs, axis=1)[:, ::-1]
        sorted_probs = np.take_along_axis(probs, order, axis=1)
        cumulative = np.cumsum(sorted_probs, axis=1)
        keep_sorted = cumulative - sorted_probs < top_p
        keep = np.zeros_like(keep_sorted)
        np.put_along_axis(keep, order, keep_sorted, axis=1)
        probs = probs * keep
        probs = probs / probs.sum(axis=1, keepdims=True)
    return probs


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    probs = sampling_probs(logits, temperature, top_k, top_p)
    if rng is None:
        rng = np.random.default_rng()
    cdf = np.cumsum(probs, axis=1)
    u = rng.random((len(probs), 1)) * cdf[:, -1:]
    return (cdf <= u).sum(axis=1)
