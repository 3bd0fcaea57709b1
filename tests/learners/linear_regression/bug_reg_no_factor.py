# expect-fail: gradient dw
# diagnosis: reg without the factor in the gradient
"""The data term's gradient with its 2, then + reg * w for the penalty, because weight decay is usually written as "+ reg * w", but the derivative of reg * sum(w**2) is 2 * reg * w."""
import numpy as np


def ridge_closed_form(X, y, reg=0.0):
    return np.linalg.solve(X.T @ X + reg * np.eye(X.shape[1]), X.T @ y)


def ridge_loss(w, X, y, reg=0.0):
    r = X @ w - y
    return np.sum(r ** 2) + reg * np.sum(w ** 2), 2 * X.T @ r + reg * w


def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        w = w - lr * ridge_loss(w, X, y, reg)[1]
    return w
