# expect: pass
"""np.linalg.eig of np.cov(Xc.T) (ddof 1 by default): eig returns eigenvalues unsorted, so they are sorted by
argsort(-vals) before keeping k; the ratio's total is the sum of all eigenvalues."""
import numpy as np


def pca_fit(X, n_components):
    X = np.asarray(X, float)
    if X.ndim != 2 or len(X) < 2:
        raise ValueError("X must be 2-D with N >= 2")
    N, D = X.shape
    k = n_components
    if k < 1 or k > min(N, D):
        raise ValueError("k")
    mean = X.sum(0) / N
    Xc = X - mean
    cov = np.cov(Xc.T)  # ddof 1
    vals, vecs = np.linalg.eig(cov)  # unsorted, maybe complex dtype for symmetric: real here
    vals, vecs = vals.real, vecs.real
    order = np.argsort(-vals)[:k]
    comps = vecs[:, order].T
    comps = comps / np.linalg.norm(comps, axis=1, keepdims=True)
    comps *= np.where(comps[np.arange(k), np.abs(comps).argmax(1)] < 0, -1.0, 1.0)[:, None]
    var = vals[order]
    return (mean, comps, var, var / vals.sum())


def pca_transform(X, mean, components):
    return (X - mean) @ components.T
