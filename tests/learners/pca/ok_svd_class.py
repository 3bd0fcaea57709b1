# expect: pass
"""A scikit-learn-like PCA class (mean_, components_, explained_variance_...) fitted by the SVD of the centred data,
wrapped in the kata's functions; the projection by einsum."""
import numpy as np


class PCA:
    def __init__(self, n_components):
        self.n_components = n_components

    def fit(self, X):
        self.mean_ = np.mean(X, axis=0)
        U, S, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)
        # svd_flip-like but by the rule of the kata
        idx = np.argmax(np.abs(Vt), axis=1)
        signs = np.sign(Vt[np.arange(Vt.shape[0]), idx])
        Vt = Vt * signs[:, None]
        ev = S ** 2 / (X.shape[0] - 1)
        self.components_ = Vt[: self.n_components]
        self.explained_variance_ = ev[: self.n_components]
        self.explained_variance_ratio_ = self.explained_variance_ / ev.sum()
        return self


def pca_fit(X, n_components):
    if len(np.shape(X)) != 2 or np.shape(X)[0] < 2:
        raise ValueError("X")
    if not isinstance(n_components, (int, np.integer)) or not 1 <= n_components <= min(np.shape(X)):
        raise ValueError("n_components")
    p = PCA(n_components).fit(np.asarray(X, float))
    return p.mean_, p.components_, p.explained_variance_, p.explained_variance_ratio_


def pca_transform(X, mean, components):
    return np.einsum("nd,kd->nk", X - mean, components)
