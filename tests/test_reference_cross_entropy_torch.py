"""The cross_entropy reference against torch.nn.functional.cross_entropy (skipped without torch).

PyTorch wants the classes on axis 1, so (N, T, C) logits go in as (N, C, T) and the gradient comes back
transposed. Its mean with label smoothing and ignore_index is over the kept positions, as ours. The one
difference is by design: with every position ignored PyTorch gives NaN and we give 0, so that case is
checked on our side only.
"""
import numpy as np
import pytest

from grader.checks.compare import compare_arrays
from solutions.cross_entropy import cross_entropy

torch = pytest.importorskip("torch")


def _torch_cross_entropy(logits, targets, label_smoothing, ignore_index):
    """(loss, dlogits) from PyTorch, float64, autograd for the gradient."""
    tensor = torch.tensor(logits, requires_grad=True)
    classes_second = tensor if tensor.ndim == 2 else tensor.movedim(-1, 1)
    loss = torch.nn.functional.cross_entropy(classes_second, torch.tensor(targets, dtype=torch.long),
                                             label_smoothing=label_smoothing, ignore_index=ignore_index)
    loss.backward()
    return loss.item(), tensor.grad.numpy()


@pytest.mark.parametrize("shape, label_smoothing, ignore_index, ignored", [
    ((6, 5), 0.0, -100, ()),
    ((6, 5), 0.1, -100, (1, 3)),
    ((5, 7), 0.3, -100, (0,)),
    ((4, 6), 1.0, -100, (2,)),
    ((2, 4, 6), 0.0, -100, (2, 5)),
    ((2, 4, 6), 0.1, -100, (0, 7)),
    ((3, 2, 5), 0.2, -1, (1, 4)),
    ((6, 5), 0.2, 0, ()),          # a class index as ignore_index: the drawn 0 targets are ignored
    ((4, 1), 0.1, -100, (2,)),     # C = 1
    ((1, 6), 0.2, -100, ()),       # N = 1
    ((1, 3, 5), 0.0, -100, (1,)),
    ((16, 10, 50), 0.1, -100, tuple(range(0, 160, 9))),
])
def test_loss_and_gradient_match_torch(shape, label_smoothing, ignore_index, ignored):
    rng = np.random.default_rng(11)
    logits = rng.standard_normal(shape) * 3
    targets = rng.integers(0, shape[-1], size=shape[:-1])
    targets.flat[list(ignored)] = ignore_index
    loss, dlogits = cross_entropy(logits, targets, label_smoothing, ignore_index)
    torch_loss, torch_dlogits = _torch_cross_entropy(logits, targets, label_smoothing, ignore_index)
    assert abs(loss - torch_loss) <= 1e-10 * max(abs(torch_loss), 1.0)
    assert dlogits.shape == torch_dlogits.shape
    assert compare_arrays("dlogits", torch_dlogits, dlogits, tolerance=1e-10) is None


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_large_logits_match_torch(label_smoothing):
    """Logits of +-1e4 and a target 1e4 below another: exact on both sides."""
    logits = np.array([[1e4, -1e4, 0, 5e3], [-1e4, -1e4, -1e4, 1 - 1e4], [0, 1e4, 0, 0], [0.5, -0.25, 1, 0]])
    targets = np.array([0, 3, 0, -100])
    loss, dlogits = cross_entropy(logits, targets, label_smoothing)
    torch_loss, torch_dlogits = _torch_cross_entropy(logits, targets, label_smoothing, -100)
    assert abs(loss - torch_loss) <= 1e-10 * abs(torch_loss)
    assert compare_arrays("dlogits", torch_dlogits, dlogits, tolerance=1e-10) is None


def test_every_position_ignored_is_zero_where_torch_gives_nan():
    logits = np.random.default_rng(3).standard_normal((3, 4))
    targets = np.full(3, -100)
    torch_loss, _ = _torch_cross_entropy(logits, targets, 0.1, -100)
    assert np.isnan(torch_loss)  # PyTorch's 0/0; the contract says 0 instead
    loss, dlogits = cross_entropy(logits, targets, 0.1)
    assert loss == 0.0 and not dlogits.any()
