# expect-fail: next centers weighted by D(x)^2
# diagnosis: distance to one chosen center only
"""The weights recomputed from the last chosen center alone, because the loop variable is right there, but D(x) is the distance to the nearest of ALL chosen centers."""
import numpy as np


def kmeans_plus_plus(X, k, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    N = len(X)
    if k < 1 or k > N:
        raise ValueError("k out of range")
    idx = [rng.integers(N)]
    d2 = np.sum((X - X[idx[0]]) ** 2, axis=1)
    for _ in range(k - 1):
        nxt = rng.choice(N, p=d2 / d2.sum())
        idx.append(nxt)
        d2 = np.sum((X - X[nxt]) ** 2, axis=1)
    return X[idx].copy()


def assign(X, centers):
    d = np.sum((X[:, None, :] - centers[None, :, :]) ** 2, axis=2)
    return np.argmin(d, axis=1)


def update_centers(X, labels, centers):
    new = centers.copy()
    for j in range(len(centers)):
        members = X[labels == j]
        if len(members) > 0:
            new[j] = members.mean(axis=0)
    return new


def kmeans(X, centers, max_iters=100):
    if max_iters < 1:
        raise ValueError("max_iters must be >= 1")
    inertias, prev = [], None
    for _ in range(max_iters):
        labels = assign(X, centers)
        inertias.append(np.sum((X - centers[labels]) ** 2))
        if prev is not None and np.array_equal(labels, prev):
            break
        centers, prev = update_centers(X, labels, centers), labels
    return centers, labels, inertias
