# expect: pass
"""A loop over rows with math.expm1 and math.log, the gradient as dL/d log p_t times row t of the Jacobian of log-softmax, I - 1 p^T, built explicitly; returns an np.float64 loss."""
import math
import numpy as np
def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("negative gamma")
    N, C = logits.shape
    loss = 0.0
    dlogits = np.zeros((N, C))
    for i in range(N):
        z = logits[i]
        m = np.max(z)
        lse = m + math.log(np.sum(np.exp(z - m)))
        logp = z - lse
        p = np.exp(logp)
        t = int(labels[i])
        lpt = logp[t]
        q = -math.expm1(lpt)
        loss += -(q ** gamma) * lpt
        # L = f(log p_t); dL/dlogp_t = gamma q^(g-1) p_t log p_t - q^g
        g = (gamma * q ** (gamma - 1) * math.exp(lpt) * lpt if q > 0 else 0.0) - q ** gamma
        # Jacobian of log p_t w.r.t. z: row t of (I - 1 p^T)
        J = np.eye(C) - np.outer(np.ones(C), p)
        dlogits[i] = g * J[t]
    return np.float64(loss / N), dlogits / N
