# expect: pass
"""Everything spelled out with loops over rows and columns, the way the sums are written on paper: the normal equations built entry by entry and solved by Gaussian elimination with partial pivoting (backward stable, as np.linalg.solve is), the loss and gradient accumulated row by row, gradient descent step by step."""
import numpy as np


def ridge_closed_form(X, y, reg=0.0):
    N, D = X.shape
    A = [[0.0] * D for _ in range(D)]
    c = [0.0] * D
    for i in range(D):
        for j in range(D):
            for n in range(N):
                A[i][j] += X[n, i] * X[n, j]
        A[i][i] += reg
        for n in range(N):
            c[i] += X[n, i] * y[n]
    for k in range(D):  # elimination with partial pivoting
        p = max(range(k, D), key=lambda r: abs(A[r][k]))
        A[k], A[p], c[k], c[p] = A[p], A[k], c[p], c[k]
        for r in range(k + 1, D):
            f = A[r][k] / A[k][k]
            for j in range(k, D):
                A[r][j] -= f * A[k][j]
            c[r] -= f * c[k]
    w = [0.0] * D
    for k in reversed(range(D)):
        s = c[k]
        for j in range(k + 1, D):
            s -= A[k][j] * w[j]
        w[k] = s / A[k][k]
    return np.array(w)


def ridge_loss(w, X, y, reg=0.0):
    N, D = X.shape
    loss, dw = 0.0, [0.0] * D
    for n in range(N):
        r = -y[n]
        for j in range(D):
            r += X[n, j] * w[j]
        loss += r * r
        for j in range(D):
            dw[j] += 2 * r * X[n, j]
    for j in range(D):
        loss += reg * w[j] * w[j]
        dw[j] += 2 * reg * w[j]
    return loss, np.array(dw)


def ridge_gradient_descent(X, y, reg=0.0, lr=1e-3, num_iters=1000):
    w = np.zeros(X.shape[1])
    for _ in range(num_iters):
        _, dw = ridge_loss(w, X, y, reg)
        w = w - lr * dw
    return w
