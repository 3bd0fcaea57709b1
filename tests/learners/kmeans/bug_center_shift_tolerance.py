# expect-fail: stops when assignments stop changing
# diagnosis: stopped when the centers stopped moving
"""sklearn's habit: stop once the centers move less than a tolerance. From centers that are already their clusters' means it stops after one assignment, where the stated rule (stop when an assignment repeats, the first never stops) makes two."""
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
    while len(idx) < k:
        probs = closest / closest.sum()
        i = rng.choice(N, p=probs)
        idx.append(i)
        closest = np.minimum(closest, np.einsum("ij,ij->i", X - X[i], X - X[i]))
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
        new = update_centers(X, labels, centers)
        shift = np.sum((new - centers) ** 2)
        centers = new
        if shift <= 1e-4:
            break
        labels_prev = labels
    return centers, labels, hist
