# expect: pass
"""The normal equations solved through a Cholesky factor, two np.linalg.solve calls (no scipy), the loss with r @ r, numpy scalars returned as they come, and an in-place w -= lr * dw."""
import numpy as np

def ridge_closed_form(X, y, reg=0.0):
    A = X.T @ X + reg * np.eye(X.shape[1])
    L = np.linalg.cholesky(A)
    z = np.linalg.solve(L, X.T @ y)
    return np.linalg.solve(L.T, z)

def ridge_loss(w, X, y, reg=0.0):
    r = X @ w - y
    loss = r @ r + reg * (w @ w)
    dw = 2 * (X.T @ r) + 2 * reg * w
    return loss, dw

def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        _, dw = ridge_loss(w, X, y, reg)
        w -= lr * dw
    return w
