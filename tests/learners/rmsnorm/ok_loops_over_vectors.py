# expect: pass
"""Plain Python loops: one vector at a time, one feature at a time, as the formula reads on paper (and as it is first written in an interview, before vectorising)."""
import math

import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    D = x.shape[-1]
    rows = x.reshape(-1, D)
    out = np.empty_like(rows)
    rms = []
    for n in range(rows.shape[0]):
        ms = 0.0
        for d in range(D):
            ms += rows[n, d] * rows[n, d]
        r = math.sqrt(ms / D + eps)
        rms.append(r)
        for d in range(D):
            out[n, d] = rows[n, d] / r * gamma[d]
    return out.reshape(x.shape), (x.copy(), gamma.copy(), rms)


def rmsnorm_backward(dout, cache):
    x, gamma, rms = cache
    D = x.shape[-1]
    rows, grads = x.reshape(-1, D), dout.reshape(-1, D)
    dx = np.zeros_like(rows)
    dgamma = np.zeros(D)
    for n in range(rows.shape[0]):
        r = rms[n]
        dot = 0.0  # sum over d of dout * gamma * x: what the rms passes back
        for d in range(D):
            dot += grads[n, d] * gamma[d] * rows[n, d]
        for d in range(D):
            dx[n, d] = grads[n, d] * gamma[d] / r - rows[n, d] * dot / (D * r ** 3)
            dgamma[d] += grads[n, d] * rows[n, d] / r
    return dx.reshape(x.shape), dgamma
