# expect: pass
"""A small sklearn-like estimator class behind the required functions (inertia history kept on the object, numpy scalars), k-means++ with rng.uniform and argmax of the cumulative sum, update_centers as a list comprehension."""
import numpy as np


class _KMeans:
    def __init__(self, centers, max_iters):
        self.centers = np.asarray(centers, dtype=np.float64).copy()
        self.max_iters = max_iters
        self.inertia_history_ = []

    def fit(self, X):
        old = None
        for step in range(self.max_iters):
            labels = assign(X, self.centers)
            self.inertia_history_.append(np.float64(((X - self.centers[labels]) ** 2).sum()))
            if old is not None and np.all(old == labels):
                break
            old = labels
            self.centers = update_centers(X, labels, self.centers)
        self.labels_ = labels
        return self


def kmeans_plus_plus(X, k, rng=None):
    gen = np.random.default_rng() if rng is None else rng
    n = len(X)
    if k <= 0 or k > n:
        raise ValueError("k must be between 1 and n")
    chosen = [int(gen.integers(n))]
    D = ((X - X[chosen[-1]]) ** 2).sum(axis=1)
    for _ in range(1, k):
        u = gen.uniform(0, D.sum())
        nxt = int(np.argmax(np.cumsum(D) > u))
        chosen.append(nxt)
        D = np.minimum(D, ((X - X[nxt]) ** 2).sum(axis=1))
    return np.stack([X[i] for i in chosen])


def assign(X, centers):
    diff = X[:, np.newaxis] - centers
    return np.sum(diff * diff, axis=-1).argmin(-1)


def update_centers(X, labels, centers):
    return np.array([X[labels == j].mean(axis=0) if np.any(labels == j) else centers[j]
                     for j in range(len(centers))])


def kmeans(X, centers, max_iters=100):
    if max_iters < 1:
        raise ValueError("need at least one iteration")
    model = _KMeans(centers, max_iters).fit(X)
    return model.centers, model.labels_, model.inertia_history_
