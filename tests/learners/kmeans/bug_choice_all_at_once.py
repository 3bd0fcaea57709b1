# expect-fail: next centers weighted by D(x)^2
# diagnosis: distance to one chosen center only
"""Vectorised too far: every center after the first drawn at once, rng.choice(N, size=k - 1, replace=False, p=...), with weights from the first center only, never updated after each draw."""
import numpy as np

def _d2(X, C):
    return (X ** 2).sum(1)[:, None] - 2 * X @ C.T + (C ** 2).sum(1)[None, :]

def kmeans_plus_plus(X, k, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    N = X.shape[0]
    if not (0 < k <= N):
        raise ValueError(f"k={k}")
    idx = [rng.choice(N)]
    closest = np.einsum("ij,ij->i", X - X[idx[0]], X - X[idx[0]])
    rest = rng.choice(N, size=k - 1, replace=False, p=closest / closest.sum())
    idx += list(rest)
    return X[np.array(idx)].copy()

def assign(X, centers):
    d = np.linalg.norm(X[:, None, :] - centers[None, :, :], axis=2)
    return np.argmin(d, axis=1)

def update_centers(X, labels, centers):
    k = centers.shape[0]
    counts = np.bincount(labels, minlength=k)
    sums = np.zeros_like(centers, dtype=float)
    np.add.at(sums, labels, X)
    out = np.array(centers, dtype=float, copy=True)
    nz = counts > 0
    out[nz] = sums[nz] / counts[nz, None]
    return out

def kmeans(X, centers, max_iters=100):
    if max_iters < 1:
        raise ValueError("max_iters must be >= 1")
    labels_prev = None
    hist = np.empty(0)
    for _ in range(max_iters):
        labels = assign(X, centers)
        hist = np.append(hist, ((X - centers[labels]) ** 2).sum())
        if labels_prev is not None and (labels == labels_prev).all():
            break
        centers = update_centers(X, labels, centers)
        labels_prev = labels
    return centers, labels, hist
