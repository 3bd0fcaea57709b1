# expect-group-fail: value
# diagnosis: reg added to the whole matrix not the diagonal
"""X.T @ X + reg, because the formula is written "X^T X + lambda" in a hurry and numpy happily broadcasts the scalar into every entry, instead of adding reg * I on the diagonal."""
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
    return np.linalg.solve(X.T @ X + reg, X.T @ y)
