# expect: pass
"""The stable log-sigmoid written out with np.where, -log sigmoid(z) = max(-z, 0) + log1p(exp(-|z|)), as in many library implementations of BCE-with-logits, and the gradient as the mean of (p - y) times the rows of X."""
import numpy as np


def logistic_loss(w, b, X, y, reg=0.0):
    z = X.dot(w) + b
    y = y.astype(float)
    log1p_term = np.log1p(np.exp(-np.abs(z)))
    loss = np.mean(np.maximum(z, 0) - y * z + log1p_term) + reg / 2 * w.dot(w)
    p = np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))
    err = p - y
    dw = np.mean(err[:, None] * X, axis=0) + reg * w
    db = np.mean(err)
    return loss, dw, db


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w -= lr * dw
        b -= lr * db
    return w, b


def predict_logistic(w, b, X):
    return np.where(X @ w + b > 0, 1, 0)
