# expect-fail: b values
"""Gradient descent on w alone, the bias left at its starting 0, because the loop was copied from a model without a bias, but the fit must step b too: b -= lr * db."""
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
        _, dw, _ = logistic_loss(w, b, X, y, reg)
        w = w - lr * dw
    return w, b


def predict_logistic(w, b, X):
    return (X @ w + b > 0).astype(int)
