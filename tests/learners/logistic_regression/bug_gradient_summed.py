# expect-fail: gradient dw; gradient db
# diagnosis: gradient summed not averaged
"""dw = X.T @ (p - y), the per-example gradients summed, because the derivation is usually done for one example and then "added up", but the loss is a mean, so the gradient is N times too large."""
import numpy as np


def logistic_loss(w, b, X, y, reg=0.0):
    z = X @ w + b
    loss = np.mean(np.logaddexp(0, z) - y * z) + 0.5 * reg * np.sum(w * w)
    p = np.exp(-np.logaddexp(0, -z))
    dw = X.T @ (p - y) + reg * w
    db = np.sum(p - y)
    return loss, dw, db


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w, b = w - lr * dw, b - lr * db
    return w, b


def predict_logistic(w, b, X):
    return (X @ w + b > 0).astype(int)
