# expect-fail: components values
# diagnosis: sign not normalised
"""Eigenvectors taken as eigh returns them: any sign is a valid eigenvector, so the learner does not see why it should be fixed."""
import numpy as np


def pca_fit(X, n_components):
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError("X must be (N, D) with N >= 2")
    n, d = X.shape
    if n_components < 1 or n_components > min(n, d):
        raise ValueError("bad n_components")
    mean = X.mean(axis=0)
    Xc = X - mean
    cov = Xc.T @ Xc / (n - 1)
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(eigvals)[::-1]
    eigvals, eigvecs = eigvals[order], eigvecs[:, order]
    components = eigvecs[:, :n_components].T
    explained_variance = eigvals[:n_components]
    ratio = explained_variance / eigvals.sum()
    return mean, components, explained_variance, ratio


def pca_transform(X, mean, components):
    return (X - mean) @ components.T
