# expect: pass
"""Everything with explicit loops over points and centers, as the algorithm is written in pseudocode, and the D(x)**2 draw by inverse transform sampling: one rng.random() against the cumulative weights, another valid way of drawing from the same distribution."""
import numpy as np


def _sq(a, b):
    total = 0.0
    for u, v in zip(a, b):
        total += (u - v) ** 2
    return total


def kmeans_plus_plus(X, k, rng=None):
    if rng is None:
        rng = np.random.default_rng()
    N = X.shape[0]
    if not 1 <= k <= N:
        raise ValueError("need 1 <= k <= N")
    chosen = [int(rng.integers(0, N))]
    while len(chosen) < k:
        weights = [min(_sq(X[i], X[c]) for c in chosen) for i in range(N)]
        u, acc, pick = rng.random() * sum(weights), 0.0, None
        for i, w in enumerate(weights):
            acc += w
            if w > 0 and u < acc:
                pick = i
                break
        if pick is None:  # u rounded up to the total: the last point of positive weight
            pick = max(i for i in range(N) if weights[i] > 0)
        chosen.append(pick)
    return np.array([X[i] for i in chosen])


def assign(X, centers):
    labels = np.zeros(X.shape[0], dtype=np.int64)
    for i in range(X.shape[0]):
        best = None
        for j in range(centers.shape[0]):
            d = _sq(X[i], centers[j])
            if best is None or d < best:
                best, labels[i] = d, j
    return labels


def update_centers(X, labels, centers):
    k, D = centers.shape
    new = np.array(centers, dtype=float)
    for j in range(k):
        total, count = np.zeros(D), 0
        for i in range(X.shape[0]):
            if labels[i] == j:
                total += X[i]
                count += 1
        if count:
            new[j] = total / count
    return new


def kmeans(X, centers, max_iters=100):
    if max_iters < 1:
        raise ValueError("max_iters must be at least 1")
    inertias, previous = [], None
    for _ in range(max_iters):
        labels = assign(X, centers)
        inertias.append(sum(_sq(X[i], centers[labels[i]]) for i in range(X.shape[0])))
        if previous is not None and list(labels) == list(previous):
            break
        centers, previous = update_centers(X, labels, centers), labels
    return centers, labels, inertias
