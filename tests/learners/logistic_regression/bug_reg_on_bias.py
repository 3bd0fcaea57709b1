# expect-group-fail: value
# diagnosis: reg applied to b
"""The bias treated as one more parameter and regularised like w, because "L2 on the parameters" sounds like all of them, but the bias is not penalised: loss and db are off whenever reg > 0."""
import numpy as np


def logistic_loss(w, b, X, y, reg=0.0):
    N = X.shape[0]
    z = X @ w + b
    loss = np.mean(np.logaddexp(0, z) - y * z) + 0.5 * reg * (np.sum(w * w) + b * b)
    p = np.exp(-np.logaddexp(0, -z))
    dw = X.T @ (p - y) / N + reg * w
    db = np.mean(p - y) + reg * b
    return loss, dw, db


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w, b = w - lr * dw, b - lr * db
    return w, b


def predict_logistic(w, b, X):
    return (X @ w + b > 0).astype(int)
