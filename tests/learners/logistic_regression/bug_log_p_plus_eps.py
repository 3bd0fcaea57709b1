# expect-fail: confident wrong answer costs about 1e4
"""A stable sigmoid, then -log(p + 1e-12) "to avoid log(0)", because the fudge is everywhere in tutorials, but it caps a confident wrong answer's cost at -log(1e-12) = 27.6 instead of 1e4."""
import numpy as np


def logistic_loss(w, b, X, y, reg=0.0):
    N = X.shape[0]
    z = X @ w + b
    p = np.exp(-np.logaddexp(0, -z))
    eps = 1e-12
    loss = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + 0.5 * reg * np.sum(w * w)
    return loss, X.T @ (p - y) / N + reg * w, np.mean(p - y)


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w, b = w - lr * dw, b - lr * db
    return w, b


def predict_logistic(w, b, X):
    return (X @ w + b > 0).astype(int)
