# expect-fail: loss values; dw values; gradient-descent w values; gradient dw; at the minimiser dw is 0
# diagnosis: half the objective
"""The textbook 1/2 that cancels the 2 of the derivative, in the loss and the gradient both: consistent with itself, but the stated objective has no 1/2."""
import numpy as np

def ridge_closed_form(X, y, reg=0.0):
    A = X.T @ X + reg * np.eye(X.shape[1])
    L = np.linalg.cholesky(A)
    z = np.linalg.solve(L, X.T @ y)
    return np.linalg.solve(L.T, z)

def ridge_loss(w, X, y, reg=0.0):
    r = X @ w - y
    loss = 0.5 * (r @ r) + 0.5 * reg * (w @ w)
    dw = X.T @ r + reg * w
    return loss, dw

def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        _, dw = ridge_loss(w, X, y, reg)
        w -= lr * dw
    return w
