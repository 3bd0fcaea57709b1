"""The gru kata's reference against torch.nn.GRUCell and torch.nn.GRU (batch_first), forward and backward by
autograd, in float64 (skipped without torch).

PyTorch's equations and gate order (r, z, n) are the kata's; our weights multiply on the right, so torch's are their
transposes: weight_ih = Wx.T, weight_hh = Wh.T; its two biases are ours: bias_ih = bx, bias_hh = bh. The biases are
drawn large (N(0, 1)) so that where bh's n block goes, inside or outside r, changes every value.
"""
import numpy as np
import pytest

from solutions.gru import gru_backward, gru_forward, gru_step_backward, gru_step_forward
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")


def _weights(rng, d, h):
    Wx, Wh = rng.standard_normal((d, 3 * h)) / np.sqrt(d), rng.standard_normal((h, 3 * h)) / np.sqrt(h)
    return Wx, Wh, rng.standard_normal(3 * h), rng.standard_normal(3 * h)


def _set(module, Wx, Wh, bx, bh, suffix=""):
    with torch.no_grad():
        for name, value in (("weight_ih", Wx.T), ("weight_hh", Wh.T), ("bias_ih", bx), ("bias_hh", bh)):
            getattr(module, name + suffix).copy_(torch.tensor(value))


@pytest.mark.parametrize("n, d, h", [(3, 4, 2), (1, 3, 1), (4, 5, 5)])
def test_gru_step_matches_torch_grucell(n, d, h):
    rng = np.random.default_rng(39 + n)
    x, prev_h = rng.standard_normal((n, d)), 0.5 * rng.standard_normal((n, h))
    Wx, Wh, bx, bh = _weights(rng, d, h)
    dnext = rng.standard_normal((n, h))
    next_h, cache = gru_step_forward(x, prev_h, Wx, Wh, bx, bh)
    dx, dprev_h, dWx, dWh, dbx, dbh = gru_step_backward(dnext, cache)

    cell = torch.nn.GRUCell(d, h, dtype=torch.float64)
    _set(cell, Wx, Wh, bx, bh)
    tx, th = torch.tensor(x, requires_grad=True), torch.tensor(prev_h, requires_grad=True)
    out = cell(tx, th)
    out.backward(torch.tensor(dnext))
    assert_agrees("next_h", out, next_h)
    for name, theirs, ours in [("dx", tx.grad, dx), ("dprev_h", th.grad, dprev_h), ("dWx", cell.weight_ih.grad.T, dWx),
                               ("dWh", cell.weight_hh.grad.T, dWh), ("dbx", cell.bias_ih.grad, dbx),
                               ("dbh", cell.bias_hh.grad, dbh)]:
        assert_agrees(name, theirs, ours)


@pytest.mark.parametrize("n, t, d, h", [(2, 3, 3, 2), (3, 1, 4, 3), (1, 6, 2, 4), (4, 5, 6, 6)])
def test_gru_sequence_matches_torch_gru(n, t, d, h):
    rng = np.random.default_rng(390 + t)
    x, h0 = rng.standard_normal((n, t, d)), 0.5 * rng.standard_normal((n, h))
    Wx, Wh, bx, bh = _weights(rng, d, h)
    dh = rng.standard_normal((n, t, h))
    out, cache = gru_forward(x, h0, Wx, Wh, bx, bh)
    dx, dh0, dWx, dWh, dbx, dbh = gru_backward(dh, cache)

    gru = torch.nn.GRU(d, h, batch_first=True, dtype=torch.float64)
    _set(gru, Wx, Wh, bx, bh, "_l0")
    tx, th0 = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
    theirs, _ = gru(tx, th0[None])
    theirs.backward(torch.tensor(dh))
    assert_agrees("h", theirs, out)
    for name, grad, ours in [("dx", tx.grad, dx), ("dh0", th0.grad, dh0), ("dWx", gru.weight_ih_l0.grad.T, dWx),
                             ("dWh", gru.weight_hh_l0.grad.T, dWh), ("dbx", gru.bias_ih_l0.grad, dbx),
                             ("dbh", gru.bias_hh_l0.grad, dbh)]:
        assert_agrees(name, grad, ours)
