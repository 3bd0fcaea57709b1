# expect-fail: ties go to the lower index
# diagnosis: ties to the higher index
"""A loop keeping the best center with <=, because "at least as close" reads as the right comparison, but then a tie goes to the last center, not the first."""
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
        d2 = np.minimum(d2, np.sum((X - X[nxt]) ** 2, axis=1))
    return X[idx].copy()


def assign(X, centers):
    labels = np.zeros(len(X), dtype=int)
    for i, x in enumerate(X):
        best = np.inf
        for j, c in enumerate(centers):
            d = np.sum((x - c) ** 2)
            if d <= best:
                best, labels[i] = d, j
    return labels


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
