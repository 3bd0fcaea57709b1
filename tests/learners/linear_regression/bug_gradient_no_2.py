# expect-fail: gradient dw
# diagnosis: the factor 2 of the gradient
"""dw = X.T @ (X @ w - y) + reg * w, remembered from the 1/2-scaled least-squares objective of most textbooks, but this objective has no 1/2, so the gradient is twice that."""
import numpy as np


def ridge_closed_form(X, y, reg=0.0):
    return np.linalg.solve(X.T @ X + reg * np.eye(X.shape[1]), X.T @ y)


def ridge_loss(w, X, y, reg=0.0):
    r = X @ w - y
    return np.sum(r ** 2) + reg * np.sum(w ** 2), X.T @ r + reg * w


def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        w = w - lr * ridge_loss(w, X, y, reg)[1]
    return w
