# expect: pass
"""Hugging Face's nucleus written out: sort ascending, remove the tokens whose ascending cumulative mass is
<= 1 - top_p (the same rule as 'mass before < top_p'; the ascending order is the reverse of the stable
descending one, so ties still go to the lower index), and one rng.multinomial(1, p) row per token row."""
import numpy as np


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    if np.ndim(logits) != 2:
        raise ValueError("logits must be (N, V)")
    if temperature < 0:
        raise ValueError("negative temperature")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k")
    if top_p is not None and not (0 < top_p <= 1):
        raise ValueError("top_p")
    logits = np.array(logits, dtype=np.float64)
    N, V = logits.shape
    if temperature == 0.0:
        probs = np.zeros_like(logits)
        probs[np.arange(N), logits.argmax(axis=1)] = 1
        return probs
    logits /= temperature
    if top_k is not None:
        k = min(top_k, V)
        kth = np.sort(logits, axis=1)[:, -k][:, None]
        logits[logits < kth] = -np.inf
    m = logits.max(axis=1, keepdims=True)
    probs = np.exp(logits - m)
    probs /= probs.sum(axis=1, keepdims=True)
    if top_p is not None:
        # HF style: ascending sort, remove tokens whose cumulative (ascending) mass <= 1 - top_p
        for i in range(N):
            order = np.argsort(-probs[i], kind="stable")[::-1]  # ascending, tied lower index last
            cum = np.cumsum(probs[i][order])
            remove = cum <= 1 - top_p
            remove[-1] = False
            probs[i, order[remove]] = 0
        probs /= probs.sum(axis=1, keepdims=True)
    return probs


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    probs = sampling_probs(logits, temperature, top_k, top_p)
    counts = rng.multinomial(1, probs)
    return counts.argmax(axis=1)
