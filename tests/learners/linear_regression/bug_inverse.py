# expect-fail: ill-conditioned: w solves the normal equations
# diagnosis: an inverse instead of a solve
"""w = inv(X.T @ X + reg*I) @ X.T @ y, the textbook formula typed as it reads, because it agrees with solve on every well-behaved example, but on an ill-conditioned system the inverse's w satisfies the normal equations only to cond * eps."""
import numpy as np


def ridge_loss(w, X, y, reg=0.0):
    r = X @ w - y
    return np.sum(r ** 2) + reg * np.sum(w ** 2), 2 * X.T @ r + 2 * reg * w


def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        w = w - lr * ridge_loss(w, X, y, reg)[1]
    return w


def ridge_closed_form(X, y, reg=0.0):
    return np.linalg.inv(X.T @ X + reg * np.eye(X.shape[1])) @ X.T @ y
