# expect: pass
"""Row by row and token by token, the way the steps read in the docstring: a loop per row for top-k (count the
logits above each one), the nucleus by walking the tokens in stable descending order, and a per-row draw that walks
the cumulative sum until it passes u."""
import math

import numpy as np


def _row_probs(row, temperature, top_k, top_p):
    V = len(row)
    if temperature == 0:
        best = 0
        for v in range(V):
            if row[v] > row[best]:
                best = v
        return [1.0 if v == best else 0.0 for v in range(V)]
    z = [value / temperature for value in row]
    kept = [True] * V
    if top_k is not None:
        for v in range(V):
            higher = sum(1 for w in range(V) if z[w] > z[v])
            kept[v] = higher < top_k  # fewer than k tokens strictly above: z[v] >= the k-th highest
    top = max(z[v] for v in range(V) if kept[v])
    e = [math.exp(z[v] - top) if kept[v] else 0.0 for v in range(V)]
    total = sum(e)
    p = [value / total for value in e]
    if top_p is not None:
        order = sorted(range(V), key=lambda v: -p[v])  # sorted is stable: ties keep the lower index first
        before = 0.0
        for v in order:
            if not before < top_p:
                p[v] = 0.0
            before += p[v] if before < top_p else 0.0
        total = sum(p)
        p = [value / total for value in p]
    return p


def sampling_probs(logits, temperature=1.0, top_k=None, top_p=None):
    if np.ndim(logits) != 2:
        raise ValueError("logits must be 2-D")
    if temperature < 0:
        raise ValueError("temperature must be >= 0")
    if top_k is not None and top_k < 1:
        raise ValueError("top_k must be >= 1")
    if top_p is not None and not (0 < top_p <= 1):
        raise ValueError("top_p must be in (0, 1]")
    return np.array([_row_probs(list(row), temperature, top_k, top_p) for row in logits], dtype=np.float64)


def sample(logits, temperature=1.0, top_k=None, top_p=None, rng=None):
    probs = sampling_probs(logits, temperature, top_k, top_p)
    rng = rng if rng is not None else np.random.default_rng()
    tokens = np.zeros(len(probs), dtype=np.int64)
    for i, row in enumerate(probs):
        u = rng.random() * row.sum()
        cumulative = 0.0
        for v, p in enumerate(row):
            cumulative += p
            if p > 0 and cumulative > u:
                tokens[i] = v
                break
        else:
            tokens[i] = max(v for v in range(len(row)) if row[v] > 0)
    return tokens
