# expect: pass
"""One-hot labels from np.eye(C)[labels], log p_t by einsum, the focusing term under np.errstate with np.where; returns the loss as a 0-d array."""
import numpy as np
def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma < 0")
    N, C = logits.shape
    y = np.eye(C)[labels]
    z = logits - logits.max(1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(1, keepdims=True))
    log_pt = np.einsum("nc,nc->n", y, log_probs)
    one_minus = -np.expm1(log_pt)
    with np.errstate(divide="ignore", invalid="ignore"):
        extra = np.where(one_minus == 0, 0.0, gamma * one_minus ** (gamma - 1) * np.exp(log_pt) * log_pt)
    w = extra - one_minus ** gamma
    grad = w[:, None] * (y - np.exp(log_probs)) / N
    return np.array(-np.sum(one_minus ** gamma * log_pt) / N), grad
