"""The info_nce reference against CLIP's loss in torch: F.normalize, then F.cross_entropy both ways, autograd for
the gradients with respect to the raw embeddings (skipped without torch).

F.normalize divides by max(|x|, 1e-12); the rows here have norms far above that, where the two agree exactly.
"""
import numpy as np
import pytest

from solutions.info_nce import info_nce
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_clip(image_emb, text_emb, temperature):
    x, y = torch.tensor(image_emb, requires_grad=True), torch.tensor(text_emb, requires_grad=True)
    logits = F.normalize(x, dim=1) @ F.normalize(y, dim=1).T / temperature
    targets = torch.arange(len(image_emb))
    loss = (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2
    loss.backward()
    return loss.item(), x.grad, y.grad


@pytest.mark.parametrize("n, d, temperature, spread", [(5, 4, 0.07, 1.0), (3, 6, 0.5, 3.0), (4, 4, 1.0, 0.1),
                                                       (16, 8, 0.07, 10.0), (1, 5, 0.07, 1.0), (64, 32, 0.01, 1.0)])
def test_matches_torch_autograd(n, d, temperature, spread):
    rng = np.random.default_rng(n * 100 + d)
    x, y = spread * rng.standard_normal((n, d)), rng.standard_normal((n, d))
    loss, dimage, dtext = info_nce(x, y, temperature)
    torch_loss, torch_dimage, torch_dtext = _torch_clip(x, y, temperature)
    assert abs(loss - torch_loss) <= 1e-10 * max(abs(torch_loss), 1.0)
    assert_agrees("dimage", torch_dimage, dimage)
    assert_agrees("dtext", torch_dtext, dtext)


def test_rows_of_any_norm_and_sharp_temperature():
    """Norms from 0.01 to 100 and logits up to 1000 (temperature 1e-3): torch's answer is ours."""
    rng = np.random.default_rng(3)
    norms = np.logspace(-2, 2, 6)[:, None]
    x, y = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    x, y = x / np.linalg.norm(x, axis=1, keepdims=True) * norms, y / np.linalg.norm(y, axis=1, keepdims=True) * norms
    for temperature in (0.07, 1e-3):
        loss, dimage, dtext = info_nce(x, y, temperature)
        torch_loss, torch_dimage, torch_dtext = _torch_clip(x, y, temperature)
        assert abs(loss - torch_loss) <= 1e-10 * max(abs(torch_loss), 1.0)
        assert_agrees("dimage", torch_dimage, dimage)
        assert_agrees("dtext", torch_dtext, dtext)
