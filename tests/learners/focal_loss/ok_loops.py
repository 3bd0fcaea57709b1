# expect: pass
"""Naive loops over the rows and the classes, with math's log-sum-exp by hand: the chain rule written out for one example at a time."""
import math

import numpy as np


def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    N, C = logits.shape
    loss = 0.0
    dlogits = np.zeros((N, C))
    for i in range(N):
        m = max(logits[i, j] for j in range(C))
        lse = m + math.log(sum(math.exp(logits[i, j] - m) for j in range(C)))
        t = int(labels[i])
        log_pt = logits[i, t] - lse
        pt = math.exp(log_pt)
        q = -math.expm1(log_pt)
        loss += -(q ** gamma) * log_pt
        focus = gamma * q ** (gamma - 1) * pt * log_pt if q > 0 else 0.0
        weight = focus - q ** gamma
        for j in range(C):
            p_j = math.exp(logits[i, j] - lse)
            dlogits[i, j] = weight * ((1.0 if j == t else 0.0) - p_j) / N
    return loss / N, dlogits
