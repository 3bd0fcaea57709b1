"""The focal_loss reference against the focal loss written in torch with autograd (skipped without torch).

PyTorch has no softmax focal loss (torchvision's sigmoid_focal_loss is the per-class binary one), so the
formula is written in torch, -(1 - p_t)**gamma * log p_t from F.log_softmax, averaged over the batch, and
autograd gives the gradient. gamma = 0 is checked against F.cross_entropy itself.
"""
import numpy as np
import pytest

from solutions.focal_loss import focal_loss
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_focal(logits, labels, gamma):
    z = torch.tensor(logits, requires_grad=True)
    log_pt = F.log_softmax(z, dim=1)[torch.arange(len(labels)), torch.tensor(labels)]
    loss = torch.mean(-(1 - log_pt.exp()) ** gamma * log_pt)
    loss.backward()
    return loss.item(), z.grad


@pytest.mark.parametrize("shape, gamma, spread", [((6, 5), 2.0, 2.0), ((4, 7), 0.5, 2.0), ((5, 3), 1.5, 1.0),
                                                  ((8, 10), 3.0, 3.0), ((1, 6), 2.0, 1.0), ((32, 20), 1.0, 4.0)])
def test_matches_torch_autograd(shape, gamma, spread):
    rng = np.random.default_rng(hash((shape, gamma)) % 2**32)
    logits = spread * rng.standard_normal(shape)
    labels = rng.integers(0, shape[1], size=shape[0])
    loss, dlogits = focal_loss(logits, labels, gamma)
    torch_loss, torch_dlogits = _torch_focal(logits, labels, gamma)
    assert abs(loss - torch_loss) <= 1e-10 * abs(torch_loss)
    assert_agrees("dlogits", torch_dlogits, dlogits)


@pytest.mark.parametrize("shape", [(6, 5), (3, 8), (1, 4)])
def test_gamma_0_is_cross_entropy(shape):
    rng = np.random.default_rng(shape[0])
    logits = 2 * rng.standard_normal(shape)
    labels = rng.integers(0, shape[1], size=shape[0])
    z = torch.tensor(logits, requires_grad=True)
    ce = F.cross_entropy(z, torch.tensor(labels))
    ce.backward()
    loss, dlogits = focal_loss(logits, labels, 0.0)
    assert abs(loss - ce.item()) <= 1e-12 * abs(ce.item())
    assert_agrees("dlogits", z.grad, dlogits)


@pytest.mark.parametrize("gamma", [2.0, 1.0])
def test_large_logits_match_torch(gamma):
    """+-1e4: torch's autograd is exact here too for gamma >= 1 (below 1 its pow backward gives nan at p_t = 1)."""
    logits = np.array([[1e4, -1e4, 0, 5e3], [0, 1e4, 0, 1], [-1e4, -1e4, -1e4, 1 - 1e4], [0.5, -0.25, 1, 0]])
    labels = np.array([0, 0, 3, 2])
    loss, dlogits = focal_loss(logits, labels, gamma)
    torch_loss, torch_dlogits = _torch_focal(logits, labels, gamma)
    assert np.isfinite(loss) and np.isfinite(dlogits).all()
    assert abs(loss - torch_loss) <= 1e-10 * abs(torch_loss)
    assert_agrees("dlogits", torch_dlogits, dlogits, scale=1e4)
