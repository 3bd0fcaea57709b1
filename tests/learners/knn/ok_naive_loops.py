# expect: pass
"""CS231n's compute_distances_two_loops and a hand-written vote: a loop over every pair of points for the distances
(exact differences, never negative), an insertion of each training point into the k best, a count per label."""
import numpy as np


def pairwise_sq_distances(A, B):
    if len(A.shape) != 2 or len(B.shape) != 2 or A.shape[1] != B.shape[1]:
        raise ValueError("shapes do not match")
    dists = np.zeros((A.shape[0], B.shape[0]))
    for i in range(A.shape[0]):
        for j in range(B.shape[0]):
            dists[i, j] = np.sum((A[i] - B[j]) ** 2)
    return dists


def knn_predict(X_train, y_train, X_test, k=1):
    if not 1 <= k <= len(X_train):
        raise ValueError("bad k")
    dists = pairwise_sq_distances(X_test, X_train)
    labels = []
    for i in range(len(X_test)):
        order = sorted(range(len(X_train)), key=lambda j: (dists[i, j], j))
        counts = {}
        for j in order[:k]:
            counts[int(y_train[j])] = counts.get(int(y_train[j]), 0) + 1
        best = min(counts, key=lambda label: (-counts[label], label))
        labels.append(best)
    return np.array(labels)
