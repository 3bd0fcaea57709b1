# expect-group-fail: edge
# diagnosis: naive log(sigmoid) unstable
"""p = 1/(1 + exp(-z)) then the textbook -(y log p + (1 - y) log(1 - p)), because that is the formula on every slide, but exp(1e4) overflows, p rounds to exactly 0 or 1, and a log of 0 makes the loss inf."""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def logistic_loss(w, b, X, y, reg=0.0):
    N = X.shape[0]
    p = sigmoid(X @ w + b)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.5 * reg * np.sum(w ** 2)
    dw = X.T @ (p - y) / N + reg * w
    db = np.sum(p - y) / N
    return loss, dw, db


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w, b = w - lr * dw, b - lr * db
    return w, b


def predict_logistic(w, b, X):
    return (sigmoid(X @ w + b) > 0.5).astype(int)
