# expect-fail: dists values
# diagnosis: Euclidean instead of squared distances
"""np.sqrt at the end, as CS231n's distances are Euclidean: the learner carries that over to a function named for squared distances."""
import numpy as np


def pairwise_sq_distances(A, B):
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[1]:
        raise ValueError("A and B must be (N, D) and (M, D)")
    a2 = np.sum(A ** 2, axis=1, keepdims=True)
    b2 = np.sum(B ** 2, axis=1)
    dists = a2 + b2 - 2 * A.dot(B.T)
    return np.sqrt(np.maximum(dists, 0))


def knn_predict(X_train, y_train, X_test, k=1):
    if k < 1 or k > X_train.shape[0]:
        raise ValueError("k out of range")
    dists = pairwise_sq_distances(X_test, X_train)
    y_pred = np.zeros(X_test.shape[0], dtype=np.int64)
    for i in range(X_test.shape[0]):
        closest_y = y_train[np.argsort(dists[i], kind="stable")[:k]]
        y_pred[i] = np.argmax(np.bincount(closest_y))
    return y_pred
