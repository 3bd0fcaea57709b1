"""The dataloader kata's reference against torch.utils.data.DataLoader over a TensorDataset: the same batches
without shuffling, the same len and batch sizes with and without drop_last, and shuffled epochs that, like
torch's, hold every sample once with its own label (skipped without torch)."""
import numpy as np
import pytest

from solutions.dataloader import DataLoader

torch = pytest.importorskip("torch")
from torch.utils.data import DataLoader as TorchLoader, TensorDataset  # noqa: E402

CONFIGS = [(10, 3, False), (10, 3, True), (10, 5, False), (10, 5, True), (3, 5, False), (3, 5, True), (1, 1, False),
           (17, 4, False)]


def _data(n):
    rng = np.random.default_rng(n)
    return rng.standard_normal((n, 2, 3)), rng.permutation(n)


@pytest.mark.parametrize("n, batch_size, drop_last", CONFIGS)
def test_unshuffled_batches_match_torch(n, batch_size, drop_last):
    X, y = _data(n)
    ours = DataLoader(X, y, batch_size, shuffle=False, drop_last=drop_last)
    theirs = TorchLoader(TensorDataset(torch.tensor(X), torch.tensor(y)), batch_size=batch_size, shuffle=False,
                         drop_last=drop_last)
    assert len(ours) == len(theirs)
    for _ in range(2):  # two epochs, each the same
        batches = list(ours)
        expected = [(tx.numpy(), ty.numpy()) for tx, ty in theirs]
        assert len(batches) == len(expected) == len(ours)
        for (xb, yb), (tx, ty) in zip(batches, expected):
            np.testing.assert_array_equal(xb, tx)
            np.testing.assert_array_equal(yb, ty)


@pytest.mark.parametrize("n, batch_size, drop_last", CONFIGS)
def test_shuffled_epochs_have_torchs_structure(n, batch_size, drop_last):
    X, y = _data(n)
    ours = DataLoader(X, y, batch_size, shuffle=True, drop_last=drop_last, rng=np.random.default_rng(0))
    theirs = TorchLoader(TensorDataset(torch.tensor(X), torch.tensor(y)), batch_size=batch_size, shuffle=True,
                         drop_last=drop_last, generator=torch.Generator().manual_seed(0))
    for _ in range(3):
        batches, expected = list(ours), list(theirs)
        assert [len(yb) for _, yb in batches] == [len(ty) for _, ty in expected]
        labels = np.concatenate([yb for _, yb in batches]) if batches else np.array([], int)
        assert len(np.unique(labels)) == len(labels) == sum(len(ty) for _, ty in expected)
        for xb, yb in batches:  # each sample keeps its label
            np.testing.assert_array_equal(xb, X[np.argsort(y)[yb]])
