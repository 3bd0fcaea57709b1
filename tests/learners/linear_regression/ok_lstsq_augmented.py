# expect: pass
"""Ridge as ordinary least squares on X stacked over sqrt(reg) * I (the data augmentation trick), solved by np.linalg.lstsq, an SVD-based solver that never forms X.T @ X; the gradient and descent written with einsum."""
import numpy as np


def ridge_closed_form(X, y, reg=0.0):
    D = X.shape[1]
    X_aug = np.concatenate([X, np.sqrt(reg) * np.eye(D)], axis=0)
    y_aug = np.concatenate([y, np.zeros(D)])
    w, *_ = np.linalg.lstsq(X_aug, y_aug, rcond=None)
    return w


def ridge_loss(w, X, y, reg=0.0):
    r = np.einsum("nd,d->n", X, w) - y
    return r @ r + reg * (w @ w), 2 * np.einsum("nd,n->d", X, r) + 2 * reg * w


def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        w -= lr * ridge_loss(w, X, y, reg)[1]
    return w
