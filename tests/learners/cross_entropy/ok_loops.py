# expect: pass
"""Naive loops: one position at a time (np.ndindex over the leading axes) and one class at a time, the log-sum-exp
written out with the row maximum, the cost accumulated in a Python float and dlogits filled as it goes."""
import math

import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    if label_smoothing < 0 or label_smoothing > 1:
        raise ValueError("label_smoothing must be between 0 and 1")
    C = logits.shape[-1]
    kept = []
    for pos in np.ndindex(targets.shape):
        t = int(targets[pos])
        if t == ignore_index:
            continue
        if t < 0 or t >= C:
            raise ValueError(f"target {t} at {pos} is not a class")
        kept.append(pos)
    dlogits = np.zeros(logits.shape)
    if not kept:
        return 0.0, dlogits
    n = len(kept)
    total = 0.0
    for pos in kept:
        row = logits[pos]
        m = max(row[c] for c in range(C))
        lse = m + math.log(sum(math.exp(row[c] - m) for c in range(C)))
        t = int(targets[pos])
        for c in range(C):
            q = label_smoothing / C + (1 - label_smoothing if c == t else 0.0)
            log_p = row[c] - lse
            total -= q * log_p
            dlogits[pos + (c,)] = (math.exp(log_p) - q) / n
    return total / n, dlogits
