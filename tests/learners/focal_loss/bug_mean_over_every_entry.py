# expect-group-fail: value
"""A one-hot mask multiplied into the log-probabilities and np.mean over the whole (N, C) array: the loss is averaged over N*C entries, C times too small."""
import numpy as np
def _logsumexp(z):
    m = z.max(axis=1, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))
def focal_loss(logits, labels, gamma=2.0):
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    n = logits.shape[0]
    log_p = logits - _logsumexp(logits)
    p = np.exp(log_p)
    rows = np.arange(n)
    log_pt = log_p[rows, labels]
    pt = np.exp(log_pt)
    q = -np.expm1(log_pt)
    onehot0 = np.eye(logits.shape[1])[labels]
    loss = np.mean(-onehot0 * (q ** gamma)[:, None] * log_p)
    safe_q = np.where(q > 0, q, 1.0)
    focus = np.where(q > 0, gamma * safe_q ** (gamma - 1) * pt * log_pt, 0.0)
    coef = focus - q ** gamma          # dL_i / d log p_t
    onehot = np.zeros_like(p); onehot[rows, labels] = 1
    dlogits = coef[:, None] * (onehot - p) / (n * logits.shape[1])
    return loss, dlogits
