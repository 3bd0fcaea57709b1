# expect-fail: logits of +-1e4: exact, no warnings; C = 1: loss 0, dlogits 0
"""Right on ordinary logits: dL/dp_t through the softmax Jacobian p_t (onehot - p), with q = 1 - p_t by subtraction; where p_t is 0 (a true class 1e4 behind) dividing by p_t gives inf * 0, and at p_t = 1 with gamma 0.5, 0**(-0.5)."""
import numpy as np
def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma")
    N, C = logits.shape
    z = logits - logits.max(1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    r = np.arange(N)
    pt = p[r, labels]
    logpt = z[r, labels] - np.log(np.exp(z).sum(1))
    q = 1 - pt
    loss = np.mean(-q ** gamma * logpt)
    # dL/dp_t then the softmax Jacobian p_t (onehot - p)
    dL_dpt = gamma * q ** (gamma - 1) * logpt - q ** gamma / pt
    y = np.eye(C)[labels]
    return loss, (dL_dpt * pt)[:, None] * (y - p) / N
