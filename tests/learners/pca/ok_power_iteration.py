# expect: pass
"""Power iteration on the (ddof 1) covariance with deflation, one component at a time, the textbook way to the top
eigenvectors without an eigensolver; the projection in double loops."""
import numpy as np


def pca_fit(X, n_components):
    X = np.array(X, dtype=float)
    if X.ndim != 2:
        raise ValueError("2-D")
    n, d = X.shape
    if n < 2 or n_components < 1 or n_components > min(n, d):
        raise ValueError("bad")
    mu = X.mean(0)
    Xc = X - mu
    C = Xc.T @ Xc / (n - 1)
    total = np.trace(C)
    rng = np.random.default_rng(0)
    comps, vals = [], []
    A = C.copy()
    for _ in range(n_components):
        v = rng.standard_normal(d)
        v /= np.linalg.norm(v)
        for _ in range(5000):
            w = A @ v
            w /= np.linalg.norm(w)
            if np.linalg.norm(w - v) < 1e-14 or np.linalg.norm(w + v) < 1e-14:
                v = w
                break
            v = w
        lam = v @ A @ v
        v = v * np.sign(v[np.argmax(np.abs(v))])
        comps.append(v)
        vals.append(lam)
        A = A - lam * np.outer(v, v)  # deflation
    vals = np.array(vals)
    return mu, np.array(comps), vals, vals / total


def pca_transform(X, mean, components):
    Z = np.zeros((X.shape[0], components.shape[0]))
    for i in range(X.shape[0]):
        for j in range(components.shape[0]):
            Z[i, j] = np.dot(X[i] - mean, components[j])
    return Z
