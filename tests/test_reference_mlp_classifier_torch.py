"""The mlp_classifier kata's reference model against the same two-layer net in torch (autograd): scores, the loss
with L2 and every gradient, in float64 (skipped without torch). Weights multiply on the right, as in the linear
kata, so torch's x @ W1 + b1 stands for nn.Linear with the transposed weight."""
import numpy as np
import pytest

from solutions.mlp_classifier import TwoLayerClassifier

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("n, d, h, c, reg", [(6, 4, 5, 3, 0.0), (10, 7, 12, 4, 0.1), (1, 3, 2, 5, 1.0),
                                             (32, 20, 16, 10, 0.01)])
def test_loss_and_gradients_match_torch(n, d, h, c, reg):
    rng = np.random.default_rng(n + d)
    model = TwoLayerClassifier(d, h, c, weight_scale=0.5, reg=reg, seed=3)
    model.params["b1"] = 0.1 * rng.standard_normal(h)
    model.params["b2"] = 0.1 * rng.standard_normal(c)
    X, y = rng.standard_normal((n, d)), rng.integers(0, c, n)
    scores = model.loss(X)
    loss, grads = model.loss(X, y)

    params = {k: torch.tensor(v, requires_grad=True) for k, v in model.params.items()}
    hidden = torch.relu(torch.tensor(X) @ params["W1"] + params["b1"])
    torch_scores = hidden @ params["W2"] + params["b2"]
    torch_loss = torch.nn.functional.cross_entropy(torch_scores, torch.tensor(y)) + \
        0.5 * reg * (params["W1"].pow(2).sum() + params["W2"].pow(2).sum())
    torch_loss.backward()

    np.testing.assert_allclose(scores, torch_scores.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert loss == pytest.approx(torch_loss.item(), rel=1e-10)
    for name, grad in grads.items():
        np.testing.assert_allclose(grad, params[name].grad.numpy(), rtol=1e-8, atol=1e-12)
