# expect: pass
"""Scipy-free broadcasting, (A[:, None] - B[None]) ** 2 summed over D (exact, never negative, so nothing to clip),
then a collections.Counter vote whose tie is settled by min() over the labels with the top count."""
from collections import Counter

import numpy as np


def pairwise_sq_distances(A, B):
    if A.ndim != 2 or B.ndim != 2:
        raise ValueError("need 2-D arrays")
    if A.shape[1] != B.shape[1]:
        raise ValueError("dimension mismatch")
    diff = A[:, None, :] - B[None, :, :]  # (N, M, D)
    return (diff ** 2).sum(axis=-1)


def knn_predict(X_train, y_train, X_test, k=1):
    if not 1 <= k <= X_train.shape[0]:
        raise ValueError("bad k")
    d = pairwise_sq_distances(X_test, X_train)
    preds = []
    for row in d:
        nearest = sorted(range(len(row)), key=lambda j: (row[j], j))[:k]
        counts = Counter(y_train[j] for j in nearest)
        best = max(counts.values())
        preds.append(min(label for label, c in counts.items() if c == best))
    return np.array(preds)
