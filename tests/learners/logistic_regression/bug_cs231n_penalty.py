# expect-fail: loss values; dw values; w values; b values; gradient dw
# diagnosis: penalty reg * sum(w**2)
"""CS231n's regularisation habit, reg * sum(w**2) with 2 * reg * w in dw: consistent with itself, so the numerical gradient agrees, but the stated penalty is 0.5 * reg * sum(w**2)."""
import numpy as np

def _sigmoid(z):
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out

def logistic_loss(w, b, X, y, reg=0.0):
    y = np.asarray(y, dtype=np.float64)
    z = X @ w + b
    # log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))
    softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    loss = np.mean(softplus - y * z) + reg * np.sum(w * w)
    dz = (_sigmoid(z) - y) / X.shape[0]
    dw = X.T @ dz + 2 * reg * w
    db = np.sum(dz)
    return float(loss), dw, float(db)

def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w = w - lr * dw
        b = b - lr * db
    return w, b

def predict_logistic(w, b, X):
    return (X @ w + b > 0).astype(int)
