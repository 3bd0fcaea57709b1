# expect: pass
"""One example at a time with the math module: a piecewise softplus and sigmoid (math.log1p, math.exp on the safe side), b turned into a Python float, predict as a list comprehension wrapped in an array."""
import math
import numpy as np


def _softplus(t):
    return t + math.log1p(math.exp(-t)) if t > 0 else math.log1p(math.exp(t))


def _sig(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def logistic_loss(w, b, X, y, reg=0.0):
    b = float(b)
    n, d = X.shape
    total = 0.0
    dw = np.zeros(d)
    db = 0.0
    for i in range(n):
        z = float(np.dot(X[i], w)) + b
        yi = float(y[i])
        total += _softplus(z) - yi * z
        g = (_sig(z) - yi) / n
        dw += g * X[i]
        db += g
    loss = total / n + 0.5 * reg * float(np.dot(w, w))
    dw += reg * w
    return loss, dw, db


def fit_logistic(X, y, lr=0.1, num_iters=100, reg=0.0):
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(num_iters):
        _, dw, db = logistic_loss(w, b, X, y, reg)
        w, b = w - lr * dw, b - lr * db
    return w, b


def predict_logistic(w, b, X):
    return np.array([1 if float(x @ w) + float(b) > 0 else 0 for x in X])
