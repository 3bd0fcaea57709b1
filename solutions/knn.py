"""Reference for the knn kata: the |a|^2 - 2ab + |b|^2 expansion, a stable argsort, a vote by bincount.

No Python loops: the distances are one matrix product and two broadcasts, the k
nearest one argsort, the vote a one-hot count per test row.
"""

import numpy as np


def pairwise_sq_distances(A, B):
    """Squared Euclidean distances between every row of A and every row of B.

    dists[i, j] = sum over d of (A[i, d] - B[j, d])**2, computed without
    Python loops through the expansion

        |a - b|**2 = |a|**2 - 2 a.b + |b|**2
        dists = (A**2).sum(1)[:, None] - 2 * A @ B.T + (B**2).sum(1)[None, :]

    then clipped at 0 (np.maximum(dists, 0)): rounding can make the
    expansion slightly negative for (nearly) identical points, and a
    squared distance never is. Squared, not Euclidean: no square root
    (torch.cdist(A, B)**2 is the same matrix).

    Inputs:
    - A: array of shape (N, D)
    - B: array of shape (M, D)

    Returns:
    - dists: array of shape (N, M), float64, every entry >= 0

    Raises ValueError when their D differ. Do not modify A or B.

    What is graded: the shape of dists; its values against the reference
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs, at least 1) on random A, B
    (N != M != D); edge cases: points far from the origin (|x| about 1e3)
    against themselves and against copies moved by 1e-8, where every
    entry must be >= 0 (clipped, not -1e-10), D = 1, and A and B of
    different D raising ValueError; that A and B are not modified; that
    the same inputs give the same outputs. Graded by value only: loops
    are not detected, they only show in the speed line, which is never
    counted in the score.
    """
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[1]:
        raise ValueError(f"A and B must be (N, D) and (M, D), got {A.shape} and {B.shape}")
    # |a - b|^2 = |a|^2 - 2 a.b + |b|^2: one (N, M) product instead of an (N, M, D) difference.
    dists = (A**2).sum(axis=1)[:, None] - 2.0 * A @ B.T + (B**2).sum(axis=1)[None, :]
    # Cancellation can leave -1e-12 where the distance is 0: a squared distance is never negative.
    return np.maximum(dists, 0.0)


def knn_predict(X_train, y_train, X_test, k=1):
    """Predict labels by the k nearest neighbours' majority vote.

    For each test row: the squared Euclidean distance to every training
    row (pairwise_sq_distances; the ranking is the same as with Euclidean
    distances); the k nearest training rows, distance ties going to the
    LOWER training index (a stable sort: np.argsort(dists, axis=1,
    kind="stable")[:, :k]); their labels vote, and the label with most
    votes wins, vote ties going to the SMALLEST label (as CS231n's
    np.argmax(np.bincount(...)): not the nearest neighbour's label, not
    the largest).

    Inputs:
    - X_train: array of shape (N_train, D)
    - y_train: integer array of shape (N_train,), labels in 0..C-1
    - X_test: array of shape (N_test, D)
    - k: int, 1 <= k <= N_train

    Returns:
    - labels: integer array of shape (N_test,), each one of y_train's labels

    Raises ValueError when k < 1 or k > N_train. Do not modify the inputs.

    What is graded: the shape of labels, and that they are integers; their
    values against the reference (labels are small integers: the agreement
    rule, two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs, at least 1, means equal) for k = 1, 3 and 4 on random
    data with 2 to 4 classes (vote ties happen there); edge cases: distance
    ties (duplicate training points and points at equal distances, on
    integer coordinates), vote ties to the smallest label, k = N_train, and
    k = 0 and k > N_train raising ValueError; that the inputs are not
    modified; that the same inputs give the same outputs. Graded by value
    only: loops are not detected, they only show in the speed line, which
    is never counted in the score.
    """
    y_train = np.asarray(y_train)
    if not 1 <= k <= len(y_train):
        raise ValueError(f"k must be in 1..{len(y_train)}, got {k}")
    dists = pairwise_sq_distances(X_test, X_train)
    # A stable sort keeps equal distances in training order: the lower index comes first.
    nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]
    votes = y_train[nearest]                                          # (N_test, k)
    classes = np.arange(y_train.max() + 1)
    counts = (votes[:, :, None] == classes).sum(axis=1)               # (N_test, C): one bincount per row
    # argmax returns the first maximum: a vote tie goes to the smallest label.
    return classes[np.argmax(counts, axis=1)].astype(y_train.dtype)
