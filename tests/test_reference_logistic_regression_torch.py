"""The logistic_regression reference against PyTorch (skipped without torch).

logistic_loss is F.binary_cross_entropy_with_logits (reduction 'mean') plus 0.5*reg*|w|^2, its gradients from
autograd, at moderate logits and at +-1e4, where both must stay finite and agree. fit_logistic is checked
against the same gradient descent run with torch.optim.SGD on that loss.
"""
import numpy as np
import pytest

from grader.checks.compare import compare_arrays
from solutions.logistic_regression import fit_logistic, logistic_loss, predict_logistic

torch = pytest.importorskip("torch")


def _torch_loss(w, b, X, y, reg):
    """(loss, dw, db) from PyTorch, float64, autograd for the gradients."""
    tw, tb = torch.tensor(w, requires_grad=True), torch.tensor(b, dtype=torch.float64, requires_grad=True)
    z = torch.tensor(X) @ tw + tb
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(y, dtype=torch.float64))
    loss = loss + 0.5 * reg * (tw ** 2).sum()
    loss.backward()
    return loss.item(), tw.grad.numpy(), tb.grad.item()


@pytest.mark.parametrize("n, d, reg, scale", [(7, 3, 0.0, 1.0), (5, 4, 0.3, 1.0), (50, 8, 1.0, 3.0),
                                              (1, 2, 0.1, 1.0), (6, 1, 0.0, 1e4)])
def test_loss_and_gradients_match_torch(n, d, reg, scale):
    rng = np.random.default_rng(n * 10 + d)
    w, b, X, y = rng.standard_normal(d), float(rng.standard_normal()), rng.standard_normal((n, d)) * scale, \
        rng.integers(0, 2, size=n)
    loss, dw, db = logistic_loss(w, b, X, y, reg)
    torch_loss, torch_dw, torch_db = _torch_loss(w, b, X, y, reg)
    assert np.isfinite(loss) and abs(loss - torch_loss) <= 1e-10 * max(abs(torch_loss), 1.0)
    assert compare_arrays("dw", torch_dw, dw, tolerance=1e-10) is None
    assert abs(db - torch_db) <= 1e-10 * max(abs(torch_db), 1.0)


def test_fit_matches_torch_sgd():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((20, 3)), rng.integers(0, 2, size=20)
    w, b = fit_logistic(X, y, lr=0.3, num_iters=60, reg=0.1)
    tw, tb = torch.zeros(3, dtype=torch.float64, requires_grad=True), torch.zeros((), dtype=torch.float64,
                                                                                 requires_grad=True)
    optimizer = torch.optim.SGD([tw, tb], lr=0.3)
    for _ in range(60):
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(X) @ tw + tb,
                                                                    torch.tensor(y, dtype=torch.float64))
        (loss + 0.05 * (tw ** 2).sum()).backward()
        optimizer.step()
    assert compare_arrays("w", tw.detach().numpy(), w, tolerance=1e-10) is None
    assert abs(b - tb.item()) <= 1e-10 * max(abs(tb.item()), 1.0)
    np.testing.assert_array_equal(predict_logistic(w, b, X), (torch.tensor(X) @ tw + tb > 0).numpy().astype(int))
