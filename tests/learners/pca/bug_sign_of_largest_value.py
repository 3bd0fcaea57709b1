# expect-fail: components values
# diagnosis: sign not normalised
"""The sign rule read as 'make the largest entry positive' (argmax of the row, not of its absolute values), which
flips rows whose largest-magnitude entry is negative the wrong way."""
import numpy as np


def pca_fit(X, n_components):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError("X must be (N, D), N >= 2")
    N, D = X.shape
    if not (1 <= n_components <= min(N, D)):
        raise ValueError("n_components out of range")
    mean = X.mean(axis=0)
    C = np.cov(X, rowvar=False)  # ddof=1
    C = np.atleast_2d(C)
    w, V = np.linalg.eigh(C)
    order = np.argsort(w)[::-1]
    w, V = w[order], V[:, order]
    comps = V[:, :n_components].T.copy()
    for i in range(n_components):
        j = np.argmax(comps[i])
        if comps[i, j] < 0:
            comps[i] = -comps[i]
    ev = w[:n_components]
    return mean, comps, ev, ev / np.trace(C)


def pca_transform(X, mean, components):
    return np.dot(X - mean, components.T)
