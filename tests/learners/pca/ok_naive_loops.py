# expect: pass
"""Power iteration with deflation, element by element in Python loops: the mean, the covariance and each
matrix-vector product written out, as a learner who avoids np.linalg would (the data's variances are well
separated, so it converges; the trace gives the total variance)."""
import numpy as np


def pca_fit(X, n_components):
    if np.ndim(X) != 2 or len(X) < 2:
        raise ValueError("X must be 2-D with at least 2 rows")
    n, d = len(X), len(X[0])
    if not 1 <= n_components <= min(n, d):
        raise ValueError("n_components out of range")
    mean = np.array([sum(X[i][j] for i in range(n)) / n for j in range(d)])
    cov = [[sum((X[i][a] - mean[a]) * (X[i][b] - mean[b]) for i in range(n)) / (n - 1) for b in range(d)]
           for a in range(d)]
    total = sum(cov[a][a] for a in range(d))
    components, variances = [], []
    for _ in range(n_components):
        v = [1.0 / (1 + j) for j in range(d)]
        value = 0.0
        for _ in range(3000):
            w = [sum(cov[a][b] * v[b] for b in range(d)) for a in range(d)]
            norm = sum(x * x for x in w) ** 0.5
            if norm == 0:
                break
            w = [x / norm for x in w]
            if max(abs(w[j] - v[j]) for j in range(d)) < 1e-15:
                v = w
                break
            v = w
        value = sum(v[a] * sum(cov[a][b] * v[b] for b in range(d)) for a in range(d))
        big = max(range(d), key=lambda j: abs(v[j]))
        if v[big] < 0:
            v = [-x for x in v]
        components.append(v)
        variances.append(value)
        cov = [[cov[a][b] - value * v[a] * v[b] for b in range(d)] for a in range(d)]
    variances = np.array(variances)
    return mean, np.array(components), variances, variances / total


def pca_transform(X, mean, components):
    out = np.zeros((len(X), len(components)))
    for i in range(len(X)):
        for c in range(len(components)):
            out[i, c] = sum((X[i][j] - mean[j]) * components[c][j] for j in range(len(mean)))
    return out
