"""Reference for the pca kata: centre, SVD, sign-normalise, read the variances off the singular values.

The SVD of the centred data gives the covariance's eigenvectors (the rows of Vt)
already in decreasing order, without forming the covariance matrix.
"""

import numpy as np


def pca_fit(X, n_components):
    """Principal component analysis of the rows of X (scikit-learn's PCA).

    With mean = X.mean(axis=0) and Xc = X - mean (centred), the sample
    covariance is C = Xc.T @ Xc / (N - 1) (ddof 1, as np.cov and
    scikit-learn; not / N). Its eigenvectors, in order of DECREASING
    eigenvalue, are the principal directions; keep the first k =
    n_components. Equivalently, with the SVD Xc = U S Vt, the directions
    are the rows of Vt and the eigenvalues S**2 / (N - 1).

    An eigenvector's sign is arbitrary (eigh and svd may return either):
    each component is multiplied by -1 where needed so that its entry of
    LARGEST ABSOLUTE VALUE is positive.

    Inputs:
    - X: array of shape (N, D), N >= 2
    - n_components: int k, 1 <= k <= min(N, D)

    Returns a tuple of:
    - mean: array of shape (D,), the column means of X
    - components: array of shape (k, D), orthonormal ROWS (one direction
      per row, not per column), sign-normalised as above
    - explained_variance: array of shape (k,), the k largest eigenvalues
      of C, in decreasing order (the variance of the data along each
      component)
    - explained_variance_ratio: array of shape (k,), explained_variance
      divided by the TOTAL variance, trace(C) = the sum of all D
      eigenvalues (not only the kept ones: the ratios sum to 1 only when
      every component is kept)

    Raises ValueError when N < 2 or n_components is not in 1..min(N, D).
    Do not modify X.

    What is graded: the shapes of the four values; their values against
    the reference (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs, at least 1) on data with well-separated variances (no two
    eigenvalues close, so every component is defined up to its sign, and
    the sign rule fixes that), centred far from the origin: N > D, k < D,
    and wide data (N < D); edge cases: k = 1, k = D (the ratios sum to 1),
    and ValueError for k = 0, k > min(N, D) and X of one row; that X is
    not modified; that the same inputs give the same outputs. Speed is shown
    beside the score but never counted in it.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) < 2:
        raise ValueError(f"X must be (N, D) with N >= 2, got shape {X.shape}")
    n, d = X.shape
    if not 1 <= n_components <= min(n, d):
        raise ValueError(f"n_components must be in 1..{min(n, d)}, got {n_components}")
    mean = X.mean(axis=0)
    # Xc = U S Vt: Xc.T Xc = V S^2 Vt, so the rows of Vt are the covariance's eigenvectors, S^2/(N-1) its
    # eigenvalues, and svd returns them in decreasing order.
    _, s, vt = np.linalg.svd(X - mean, full_matrices=False)
    components = vt[:n_components]
    # The sign is arbitrary: make each row's entry of largest magnitude positive.
    largest = components[np.arange(n_components), np.argmax(np.abs(components), axis=1)]
    components = components * np.sign(largest)[:, None]
    variances = s**2 / (n - 1)          # ddof 1; the trailing ones are 0 when N <= D
    explained_variance = variances[:n_components]
    return mean, components, explained_variance, explained_variance / variances.sum()


def pca_transform(X, mean, components):
    """Project X on the principal components: (X - mean) @ components.T.

    Inputs:
    - X: array of shape (N, D)
    - mean: array of shape (D,), as pca_fit returns
    - components: array of shape (k, D), orthonormal rows, as pca_fit
      returns

    Returns:
    - Z: array of shape (N, k), the coordinates of the centred rows of X
      along each component (column j has variance explained_variance[j],
      ddof 1, when X is the data pca_fit saw)

    Do not modify X, mean or components.

    What is graded: the shape of Z; its values against the reference
    (by the agreement rule stated in pca_fit) on random data and random
    orthonormal components, and on the data pca_fit saw (its columns'
    variances are then the explained variances); that the inputs are not
    modified; that the same inputs give the same outputs.
    """
    return (np.asarray(X, dtype=np.float64) - mean) @ components.T
