# expect-fail: gradient-descent w values; num_iters = 0 gives zeros
# diagnosis: gradient descent from the wrong start
"""w = np.ones(D) as a "neutral" starting point, because every weight equal to one feels like no preference, but the contract starts from zeros."""
import numpy as np


def ridge_closed_form(X, y, reg=0.0):
    return np.linalg.solve(X.T @ X + reg * np.eye(X.shape[1]), X.T @ y)


def ridge_loss(w, X, y, reg=0.0):
    r = X @ w - y
    return np.sum(r ** 2) + reg * np.sum(w ** 2), 2 * X.T @ r + 2 * reg * w


def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.ones(X.shape[1])
    for _ in range(num_iters):
        w = w - lr * ridge_loss(w, X, y, reg)[1]
    return w
