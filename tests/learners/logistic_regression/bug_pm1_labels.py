# expect-group-fail: value
# diagnosis: labels in {-1, 1} confusion
"""The compact loss log(1 + exp(-y*z)) from an SVM-style derivation with labels -1 and +1, applied to labels 0 and 1, because it is the neatest formula around, but every y = 0 example then costs log 2 whatever the model says."""
import numpy as np


def logistic_loss(w, b, X, y, reg=0.0):
    N = X.shape[0]
    margin = y * (X @ w + b)
    loss = np.mean(np.logaddexp(0, -margin)) + 0.5 * reg * np.sum(w * w)
    s = np.exp(-np.logaddexp(0, margin))  # sigmoid(-margin)
    dw = -X.T @ (y * s) / N + reg * w
    db = -np.sum(y * s) / N
    return loss, dw, db


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w, b = w - lr * dw, b - lr * db
    return w, b


def predict_logistic(w, b, X):
    return (X @ w + b > 0).astype(int)
