# expect-fail: no negative distances (points near 1e3)
# diagnosis: negative distances not clipped
"""The einsum expansion without the clip. Against the same points its diagonal is exactly 0 (|a|^2 and a.a are
summed in the same order), so only points moved by 1e-8 show the negative rounding."""
import numpy as np


def pairwise_sq_distances(A, B):
    A = np.asarray(A, np.float64); B = np.asarray(B, np.float64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[-1] != B.shape[-1]:
        raise ValueError(f"A {A.shape} and B {B.shape} must be (N, D) and (M, D)")
    aa = np.einsum("nd,nd->n", A, A)
    bb = np.einsum("md,md->m", B, B)
    ab = np.einsum("nd,md->nm", A, B)
    return aa[:, None] + bb[None, :] - 2.0 * ab


def knn_predict(X_train, y_train, X_test, k=1):
    n = len(X_train)
    if k < 1 or k > n:
        raise ValueError("k must be in 1..N_train")
    d = pairwise_sq_distances(X_test, X_train)
    idx = np.argsort(d, axis=1, kind="stable")[:, :k]
    votes = np.asarray(y_train)[idx]  # (N_test, k)
    C = int(np.max(y_train)) + 1
    counts = np.zeros((len(X_test), C), dtype=int)
    np.add.at(counts, (np.arange(len(X_test))[:, None], votes), 1)
    return counts.argmax(axis=1)
