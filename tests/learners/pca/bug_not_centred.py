# expect-fail: components values
# diagnosis: data not centred
"""The mean computed (it is returned) but the covariance taken of X itself: X.T @ X / (N - 1), the second moment about 0."""
import numpy as np


def pca_fit(X, n_components):
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError("X must be (N, D) with N >= 2")
    n, d = X.shape
    if n_components < 1 or n_components > min(n, d):
        raise ValueError("bad n_components")
    mean = X.mean(axis=0)
    cov = X.T @ X / (n - 1)
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(eigvals)[::-1]
    eigvals, eigvecs = eigvals[order], eigvecs[:, order]
    components = eigvecs[:, :n_components].T
    for i in range(n_components):
        if components[i, np.argmax(np.abs(components[i]))] < 0:
            components[i] = -components[i]
    explained_variance = eigvals[:n_components]
    ratio = explained_variance / eigvals.sum()
    return mean, components, explained_variance, ratio


def pca_transform(X, mean, components):
    return (X - mean) @ components.T
