# expect: pass
"""update_centers as a list of means, an empty cluster's NaN mean (with numpy's RuntimeWarning) replaced by its old center with np.where: warnings are shown, not graded, and the values are the stated ones."""
import numpy as np

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
    new = np.array([X[labels == j].mean(axis=0) for j in range(len(centers))])
    return np.where(np.isnan(new), centers, new)


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
