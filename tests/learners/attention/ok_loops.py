# expect: pass
"""Everything one number at a time: loops over examples, queries and keys, the softmax written out for each query, and the backward accumulated entry by entry, the way attention is first derived on paper."""
import math

import numpy as np


def causal_mask(Tq, Tk=None):
    if Tk is None:
        Tk = Tq
    mask = np.zeros((Tq, Tk), dtype=bool)
    for i in range(Tq):
        for j in range(Tk):
            mask[i, j] = j <= i + (Tk - Tq)
    return mask


def attention_forward(q, k, v, mask=None):
    N, Tq, d = q.shape
    Tk, dv = v.shape[1], v.shape[2]
    allowed = np.ones((N, Tq, Tk), dtype=bool) if mask is None else np.broadcast_to(mask, (N, Tq, Tk))
    probs = np.zeros((N, Tq, Tk))
    out = np.zeros((N, Tq, dv))
    for n in range(N):
        for i in range(Tq):
            keys = [j for j in range(Tk) if allowed[n, i, j]]
            if not keys:
                continue  # nothing to attend to: out stays 0
            scores = {j: sum(q[n, i, c] * k[n, j, c] for c in range(d)) / math.sqrt(d) for j in keys}
            top = max(scores.values())
            weights = {j: math.exp(s - top) for j, s in scores.items()}
            total = sum(weights.values())
            for j in keys:
                probs[n, i, j] = weights[j] / total
                out[n, i] += probs[n, i, j] * v[n, j]
    return out, (q, k, v, probs)


def attention_backward(dout, cache):
    q, k, v, probs = cache
    N, Tq, d = q.shape
    Tk = k.shape[1]
    dq, dk, dv = np.zeros(q.shape), np.zeros(k.shape), np.zeros(v.shape)
    for n in range(N):
        for i in range(Tq):
            dprobs = [float(dout[n, i] @ v[n, j]) for j in range(Tk)]
            weighted = sum(probs[n, i, j] * dprobs[j] for j in range(Tk))
            for j in range(Tk):
                dv[n, j] += probs[n, i, j] * dout[n, i]
                dscore = probs[n, i, j] * (dprobs[j] - weighted) / math.sqrt(d)
                dq[n, i] += dscore * k[n, j]
                dk[n, j] += dscore * q[n, i]
    return dq, dk, dv
