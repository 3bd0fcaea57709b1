# expect-fail: loss values; dw values; gradient-descent w values; gradient dw; at the minimiser dw is 0
# diagnosis: a mean, not a sum
"""The mean squared error, as most ML courses and PyTorch's MSELoss define it: the stated objective is a sum (scikit-learn's Ridge)."""
import numpy as np

def ridge_closed_form(X, y, reg=0.0):
    A = X.T @ X + reg * np.eye(X.shape[1])
    L = np.linalg.cholesky(A)
    z = np.linalg.solve(L, X.T @ y)
    return np.linalg.solve(L.T, z)

def ridge_loss(w, X, y, reg=0.0):
    r = X @ w - y
    n = len(y)
    loss = (r @ r) / n + reg * (w @ w)
    dw = 2 * (X.T @ r) / n + 2 * reg * w
    return loss, dw

def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        _, dw = ridge_loss(w, X, y, reg)
        w -= lr * dw
    return w
