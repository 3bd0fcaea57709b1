"""The gelu kata's reference against torch.nn.functional.gelu (approximate "none" and "tanh") and silu, forward and
backward by autograd, in float64 (skipped without torch)."""
import numpy as np
import pytest

from solutions.gelu import gelu_backward, gelu_forward, silu_backward, silu_forward
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional

SHAPES = [(7,), (3, 4), (2, 3, 4), (16, 33)]


def _torch_pass(function, x, dout):
    """(out, dx) of a torch function at x for the upstream gradient dout."""
    tx = torch.tensor(x, requires_grad=True)
    out = function(tx)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), tx.grad.numpy()


@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("shape", SHAPES)
def test_gelu_matches_torch(shape, approximate):
    rng = np.random.default_rng(11)
    x = 3 * rng.standard_normal(shape)  # |x| up to ~10: both tails and the region where the forms differ most
    dout = rng.standard_normal(shape)
    out, cache = gelu_forward(x, approximate=approximate)
    dx = gelu_backward(dout, cache)
    t_out, t_dx = _torch_pass(lambda t: F.gelu(t, approximate=approximate), x, dout)
    assert_agrees("out", t_out, out)
    assert_agrees("dx", t_dx, dx)


def test_gelu_default_is_exact_as_torch():
    x = np.linspace(-6, 6, 49)
    assert_agrees("out", F.gelu(torch.tensor(x)).numpy(), gelu_forward(x)[0])


@pytest.mark.parametrize("shape", SHAPES)
def test_silu_matches_torch(shape):
    rng = np.random.default_rng(12)
    x = 3 * rng.standard_normal(shape)
    dout = rng.standard_normal(shape)
    out, cache = silu_forward(x)
    dx = silu_backward(dout, cache)
    t_out, t_dx = _torch_pass(F.silu, x, dout)
    assert_agrees("out", t_out, out)
    assert_agrees("dx", t_dx, dx)


def test_silu_at_plus_minus_1000_matches_torch_without_warnings():
    x = np.array([-1e3, -50.0, -1.0, 0.0, 0.5, 3.0, 50.0, 1e3])
    dout = np.linspace(-1, 1, x.size)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0.0 is right here
        out, cache = silu_forward(x)
        dx = silu_backward(dout, cache)
    t_out, t_dx = _torch_pass(F.silu, x, dout)
    assert_agrees("out", t_out, out)
    assert_agrees("dx", t_dx, dx)


def test_unknown_approximate_raises_as_torch_does():
    with pytest.raises(ValueError):
        gelu_forward(np.zeros(3), approximate="erf")
    with pytest.raises(RuntimeError):  # torch refuses it too (a RuntimeError there)
        F.gelu(torch.zeros(3, dtype=torch.float64), approximate="erf")
