"""The knn kata's reference against PyTorch, in float64 (skipped without torch): pairwise_sq_distances against
torch.cdist squared, and knn_predict against the same rules written in torch (a stable torch.sort and a
torch.bincount vote). The kata has no gradient; cdist's autograd is checked against 2 (a - b) all the same."""
import numpy as np
import pytest

from solutions.knn import knn_predict, pairwise_sq_distances
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("n, m, d", [(6, 5, 4), (3, 8, 7), (40, 30, 1), (50, 64, 32)])
def test_distances_match_torch_cdist_squared(n, m, d):
    rng = np.random.default_rng(n * m + d)
    A, B = rng.standard_normal((n, d)), 3 * rng.standard_normal((m, d))
    expected = torch.cdist(torch.tensor(A), torch.tensor(B), compute_mode="donot_use_mm_for_euclid_dist") ** 2
    assert_agrees("dists", expected.numpy(), pairwise_sq_distances(A, B))


def test_distances_of_far_points_are_never_negative():
    rng = np.random.default_rng(1)
    A = rng.uniform(-1e3, 1e3, (12, 16))
    A = np.vstack([A, A + 1e-3 * rng.standard_normal((12, 16))])
    dists = pairwise_sq_distances(A, A)
    assert dists.min() >= 0
    exact = torch.cdist(torch.tensor(A), torch.tensor(A), compute_mode="donot_use_mm_for_euclid_dist") ** 2
    assert np.abs(dists - exact.numpy()).max() < 1e-6


def test_distance_gradient_by_autograd():
    """The squared distance's gradient in a, by autograd through cdist, is 2 (a - b) summed over b."""
    rng = np.random.default_rng(3)
    A, B = rng.standard_normal((5, 3)), rng.standard_normal((4, 3))
    tA = torch.tensor(A, requires_grad=True)
    (torch.cdist(tA, torch.tensor(B)) ** 2).sum().backward()
    assert_agrees("dA", tA.grad.numpy(), 2 * (A[:, None, :] - B[None, :, :]).sum(axis=1))


def _torch_knn(X_train, y_train, X_test, k):
    d = torch.cdist(torch.tensor(X_test), torch.tensor(X_train), compute_mode="donot_use_mm_for_euclid_dist") ** 2
    nearest = torch.sort(d, dim=1, stable=True).indices[:, :k]
    votes = torch.tensor(y_train)[nearest]
    classes = int(y_train.max()) + 1
    counts = torch.stack([torch.bincount(row, minlength=classes) for row in votes])
    return torch.argmax(counts, dim=1).numpy()  # torch.argmax returns the first maximum: the smallest label


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
def test_predictions_match_torch(k):
    rng = np.random.default_rng(k)
    X_train = rng.integers(-3, 4, (60, 2)).astype(np.float64)  # integer coordinates: many exact distance ties
    y_train = rng.integers(0, 4, 60)
    X_test = rng.integers(-3, 4, (25, 2)).astype(np.float64)
    np.testing.assert_array_equal(knn_predict(X_train, y_train, X_test, k), _torch_knn(X_train, y_train, X_test, k))
