# expect: pass
"""One example at a time with math, the way the formula reads on paper: each term is softplus(z) - y*z, and softplus is written stably by cases on the sign of z (z + log1p(exp(-z)) for z > 0), so nothing overflows at +-1e4."""
import math

import numpy as np


def _softplus(z):
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def logistic_loss(w, b, X, y, reg=0.0):
    N, D = X.shape
    loss, dw, db = 0.0, [0.0] * D, 0.0
    for i in range(N):
        z = float(b)
        for j in range(D):
            z += X[i, j] * w[j]
        loss += _softplus(z) - y[i] * z
        g = (_sigmoid(z) - y[i]) / N
        for j in range(D):
            dw[j] += g * X[i, j]
        db += g
    penalty = 0.0
    for j in range(D):
        penalty += w[j] * w[j]
        dw[j] += reg * w[j]
    return loss / N + 0.5 * reg * penalty, np.array(dw), db


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w = w - lr * dw
        b = b - lr * db
    return w, b


def predict_logistic(w, b, X):
    labels = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        if float(X[i] @ w + b) > 0:
            labels[i] = 1
    return labels
