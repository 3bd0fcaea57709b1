"""The linear, activations and mse_loss references against PyTorch, in float64 (skipped without torch).

Values against torch.nn.functional.linear, relu, sigmoid, tanh and
mse_loss; gradients against autograd, driven by the same upstream
gradient. torch.nn.functional.linear takes its weight as (M, D), the
transpose of the kata's w, and a 2-D input: both are converted here.
"""
import warnings

import numpy as np
import pytest

from solutions import activations
from solutions.linear import linear_backward, linear_forward
from solutions.mse_loss import mse_loss
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _tensor(array):
    return torch.tensor(array, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("x_shape, m", [((4, 5), 3), ((3, 2, 4), 2), ((2, 3, 2, 2), 3), ((1, 2, 3), 4), ((3, 4), 1)])
def test_linear_matches_torch(x_shape, m):
    rng = np.random.default_rng(11)
    d = int(np.prod(x_shape[1:]))
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal((d, m)), rng.standard_normal(m)
    out, cache = linear_forward(x, w, b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = linear_backward(dout, cache)

    tx, tw, tb = _tensor(x), _tensor(w), _tensor(b)
    tout = F.linear(tx.reshape(x_shape[0], -1), tw.T, tb)  # torch's weight is (M, D)
    tout.backward(torch.tensor(dout))
    for name, theirs, ours in [("out", tout, out), ("dx", tx.grad, dx), ("dw", tw.grad, dw), ("db", tb.grad, db)]:
        assert_agrees(name, theirs, ours)


@pytest.mark.parametrize("name, torch_fn", [("relu", F.relu), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh)])
@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 3, 4)])
def test_activations_match_torch(name, torch_fn, shape):
    rng = np.random.default_rng(12)
    x = 3.0 * rng.standard_normal(shape)
    x.reshape(-1)[::3] = 0.0  # exact zeros: ReLU's gradient there is 0 in torch too
    out, cache = getattr(activations, f"{name}_forward")(x)
    dout = rng.standard_normal(shape)
    dx = getattr(activations, f"{name}_backward")(dout, cache)

    tx = _tensor(x)
    tout = torch_fn(tx)
    tout.backward(torch.tensor(dout))
    assert_agrees(f"{name} out", tout, out)
    assert_agrees(f"{name} dx", tx.grad, dx)


def test_activations_sigmoid_at_plus_minus_1000_matches_torch_without_warnings():
    x = np.array([[-1000.0, -50.0, -1.0, 0.0], [0.5, 3.0, 50.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's default: overflow warns, underflow to 0.0 does not
        out, cache = activations.sigmoid_forward(x)
        dx = activations.sigmoid_backward(np.ones_like(x), cache)
    assert out[0, 0] == 0.0 and out[1, 3] == 1.0
    tx = _tensor(x)
    torch.sigmoid(tx).sum().backward()
    assert_agrees("out", torch.sigmoid(tx), out)
    assert_agrees("dx", tx.grad, dx)


@pytest.mark.parametrize("shape", [(6, 4), (9,), (2, 3, 4), (1, 1)])
def test_mse_loss_matches_torch(shape):
    rng = np.random.default_rng(13)
    pred, target = rng.standard_normal(shape), rng.standard_normal(shape)
    loss, dpred = mse_loss(pred, target)

    tpred = _tensor(pred)
    tloss = F.mse_loss(tpred, torch.tensor(target))  # reduction='mean': over every element
    tloss.backward()
    assert_agrees("loss", tloss, loss)
    assert_agrees("dpred", tpred.grad, dpred)


def test_mse_loss_of_equal_arrays_is_zero_as_in_torch():
    pred = np.random.default_rng(14).standard_normal((4, 3))
    loss, dpred = mse_loss(pred, pred.copy())
    tpred = _tensor(pred)
    tloss = F.mse_loss(tpred, torch.tensor(pred))
    tloss.backward()
    assert loss == tloss.item() == 0.0
    assert not dpred.any() and not tpred.grad.any()


def test_mse_loss_refuses_what_torch_only_warns_about():
    """torch broadcasts (N,) against (N, 1) with a UserWarning; the contract asks for ValueError."""
    pred, target = np.zeros(5), np.ones((5, 1))
    with pytest.warns(UserWarning, match="broadcast"):
        F.mse_loss(torch.tensor(pred), torch.tensor(target))
    with pytest.raises(ValueError):
        mse_loss(pred, target)
    with pytest.raises(ValueError):
        mse_loss(np.zeros((3, 4)), np.zeros((4, 3)))


@pytest.mark.parametrize("shape", [(4, 6), (1, 8), (3, 1)])
def test_layernorm_matches_torch(shape):
    from solutions.layernorm import layernorm_backward, layernorm_forward

    rng = np.random.default_rng(3)
    x, gamma, beta = rng.standard_normal(shape) * 2 + 1, rng.standard_normal(shape[1]), rng.standard_normal(shape[1])
    out, cache = layernorm_forward(x, gamma, beta, eps=1e-5)
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = layernorm_backward(dout, cache)
    tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
    tout = torch.nn.functional.layer_norm(tx, (shape[1],), tg, tb, eps=1e-5)
    tout.backward(torch.tensor(dout))
    for ours, theirs in [(out, tout), (dx, tx.grad), (dgamma, tg.grad), (dbeta, tb.grad)]:
        theirs = theirs.detach().numpy()
        assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-9)
