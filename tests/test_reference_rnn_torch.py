"""The rnn kata's reference against torch.nn.RNNCell and torch.nn.RNN (tanh, batch_first), forward and backward by
autograd, in float64 (skipped without torch).

Our weights multiply on the right, so torch's are their transposes: weight_ih = Wx.T, weight_hh = Wh.T; our one
bias goes into bias_ih and zeros into bias_hh (torch adds the two), so db is bias_ih's gradient.
"""
import numpy as np
import pytest

from solutions.rnn import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")


def _weights(rng, d, h):
    Wx, Wh = rng.standard_normal((d, h)) / np.sqrt(d), rng.standard_normal((h, h)) / np.sqrt(h)
    return Wx, Wh, 0.1 * rng.standard_normal(h)


def _set(module, Wx, Wh, b, suffix=""):
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(torch.tensor(Wx.T))
        getattr(module, "weight_hh" + suffix).copy_(torch.tensor(Wh.T))
        getattr(module, "bias_ih" + suffix).copy_(torch.tensor(b))
        getattr(module, "bias_hh" + suffix).zero_()


@pytest.mark.parametrize("n, d, h", [(3, 4, 5), (1, 6, 2), (4, 3, 3)])
def test_rnn_step_matches_torch_rnncell(n, d, h):
    rng = np.random.default_rng(19 + n)
    x, prev_h = rng.standard_normal((n, d)), 0.5 * rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h)
    dnext = rng.standard_normal((n, h))
    next_h, cache = rnn_step_forward(x, prev_h, Wx, Wh, b)
    dx, dprev, dWx, dWh, db = rnn_step_backward(dnext, cache)

    cell = torch.nn.RNNCell(d, h, nonlinearity="tanh", dtype=torch.float64)
    _set(cell, Wx, Wh, b)
    tx, th = torch.tensor(x, requires_grad=True), torch.tensor(prev_h, requires_grad=True)
    out = cell(tx, th)
    out.backward(torch.tensor(dnext))
    assert_agrees("next_h", out, next_h)
    for name, theirs, ours in [("dx", tx.grad, dx), ("dprev_h", th.grad, dprev), ("dWx", cell.weight_ih.grad.T, dWx),
                               ("dWh", cell.weight_hh.grad.T, dWh), ("db", cell.bias_ih.grad, db),
                               ("db (bias_hh)", cell.bias_hh.grad, db)]:
        assert_agrees(name, theirs, ours)


@pytest.mark.parametrize("n, t, d, h", [(2, 4, 3, 5), (3, 1, 4, 2), (1, 7, 5, 4), (4, 6, 8, 8)])
def test_rnn_sequence_matches_torch_rnn(n, t, d, h):
    rng = np.random.default_rng(190 + t)
    x, h0 = rng.standard_normal((n, t, d)), 0.5 * rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h)
    dh = rng.standard_normal((n, t, h))
    out, cache = rnn_forward(x, h0, Wx, Wh, b)
    dx, dh0, dWx, dWh, db = rnn_backward(dh, cache)

    rnn = torch.nn.RNN(d, h, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
    _set(rnn, Wx, Wh, b, "_l0")
    tx, th0 = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
    theirs, _ = rnn(tx, th0[None])
    theirs.backward(torch.tensor(dh))
    assert_agrees("h", theirs, out)
    for name, grad, ours in [("dx", tx.grad, dx), ("dh0", th0.grad, dh0), ("dWx", rnn.weight_ih_l0.grad.T, dWx),
                             ("dWh", rnn.weight_hh_l0.grad.T, dWh), ("db", rnn.bias_ih_l0.grad, db)]:
        assert_agrees(name, grad, ours)
