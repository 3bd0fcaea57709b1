"""The lstm kata's reference against torch.nn.LSTMCell and torch.nn.LSTM (batch_first), forward and backward by
autograd, in float64 (skipped without torch).

PyTorch's gate order is the kata's (i, f, g, o); our weights multiply on the right, so torch's are their
transposes: weight_ih = Wx.T, weight_hh = Wh.T; our one bias goes into bias_ih and zeros into bias_hh (torch adds
the two). The cell is checked with both upstream gradients (dnext_h and dnext_c); the sequence from c0 = 0.
"""
import numpy as np
import pytest

from solutions.lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")


def _weights(rng, d, h):
    Wx, Wh = rng.standard_normal((d, 4 * h)) / np.sqrt(d), rng.standard_normal((h, 4 * h)) / np.sqrt(h)
    return Wx, Wh, 0.1 * rng.standard_normal(4 * h)


def _set(module, Wx, Wh, b, suffix=""):
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(torch.tensor(Wx.T))
        getattr(module, "weight_hh" + suffix).copy_(torch.tensor(Wh.T))
        getattr(module, "bias_ih" + suffix).copy_(torch.tensor(b))
        getattr(module, "bias_hh" + suffix).zero_()


@pytest.mark.parametrize("n, d, h", [(3, 4, 2), (1, 3, 1), (4, 5, 5)])
def test_lstm_step_matches_torch_lstmcell(n, d, h):
    rng = np.random.default_rng(29 + n)
    x, prev_h, prev_c = rng.standard_normal((n, d)), 0.5 * rng.standard_normal((n, h)), rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h)
    dnext_h, dnext_c = rng.standard_normal((n, h)), rng.standard_normal((n, h))
    next_h, next_c, cache = lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
    dx, dprev_h, dprev_c, dWx, dWh, db = lstm_step_backward(dnext_h, dnext_c, cache)

    cell = torch.nn.LSTMCell(d, h, dtype=torch.float64)
    _set(cell, Wx, Wh, b)
    tx, th, tc = (torch.tensor(a, requires_grad=True) for a in (x, prev_h, prev_c))
    out_h, out_c = cell(tx, (th, tc))
    torch.autograd.backward([out_h, out_c], [torch.tensor(dnext_h), torch.tensor(dnext_c)])
    assert_agrees("next_h", out_h, next_h)
    assert_agrees("next_c", out_c, next_c)
    for name, theirs, ours in [("dx", tx.grad, dx), ("dprev_h", th.grad, dprev_h), ("dprev_c", tc.grad, dprev_c),
                               ("dWx", cell.weight_ih.grad.T, dWx), ("dWh", cell.weight_hh.grad.T, dWh),
                               ("db", cell.bias_ih.grad, db), ("db (bias_hh)", cell.bias_hh.grad, db)]:
        assert_agrees(name, theirs, ours)


@pytest.mark.parametrize("n, t, d, h", [(2, 3, 3, 2), (3, 1, 4, 3), (1, 6, 2, 4), (4, 5, 6, 6)])
def test_lstm_sequence_matches_torch_lstm(n, t, d, h):
    rng = np.random.default_rng(290 + t)
    x, h0 = rng.standard_normal((n, t, d)), 0.5 * rng.standard_normal((n, h))
    Wx, Wh, b = _weights(rng, d, h)
    dh = rng.standard_normal((n, t, h))
    out, cache = lstm_forward(x, h0, Wx, Wh, b)
    dx, dh0, dWx, dWh, db = lstm_backward(dh, cache)

    lstm = torch.nn.LSTM(d, h, batch_first=True, dtype=torch.float64)
    _set(lstm, Wx, Wh, b, "_l0")
    tx, th0 = torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)
    theirs, _ = lstm(tx, (th0[None], torch.zeros(1, n, h, dtype=torch.float64)))
    theirs.backward(torch.tensor(dh))
    assert_agrees("h", theirs, out)
    for name, grad, ours in [("dx", tx.grad, dx), ("dh0", th0.grad, dh0), ("dWx", lstm.weight_ih_l0.grad.T, dWx),
                             ("dWh", lstm.weight_hh_l0.grad.T, dWh), ("db", lstm.bias_ih_l0.grad, db)]:
        assert_agrees(name, grad, ours)
