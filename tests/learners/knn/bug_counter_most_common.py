# expect-fail: vote ties: the smallest label
# diagnosis: vote ties to the nearest neighbour's label
"""Counter(...).most_common(1), the Pythonic majority vote: a tie goes to the label counted first, the nearest
neighbour's, not the smallest."""
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
        preds.append(counts.most_common(1)[0][0])
    return np.array(preds)
