# expect-fail: z exactly 0 predicts 0
# diagnosis: z = 0 predicted as 1
"""p >= 0.5 as the decision rule, because "at least even odds" reads naturally, but the contract's rule is a strict z > 0, so the boundary z = 0 belongs to label 0."""
import numpy as np


def logistic_loss(w, b, X, y, reg=0.0):
    N = X.shape[0]
    z = X @ w + b
    loss = np.mean(np.logaddexp(0, z) - y * z) + 0.5 * reg * np.sum(w * w)
    p = np.exp(-np.logaddexp(0, -z))
    return loss, X.T @ (p - y) / N + reg * w, np.mean(p - y)


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w, b = w - lr * dw, b - lr * db
    return w, b


def predict_logistic(w, b, X):
    p = np.exp(-np.logaddexp(0, -(X @ w + b)))
    return (p >= 0.5).astype(int)
