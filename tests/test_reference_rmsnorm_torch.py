"""Cross-check the rmsnorm reference against PyTorch's rms_norm, in float64: forward values and autograd gradients.

torch.nn.functional.rms_norm(x, (D,), weight=gamma, eps=eps) is the contract's formula exactly,
x / sqrt(mean(x**2 over the last axis) + eps) * gamma; the default eps is passed explicitly (1e-6), since
torch's own default (None) means machine epsilon.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-10  # tighter than the contract's 1e-6: both sides are exact float64 formulas


def _reference():
    spec = importlib.util.spec_from_file_location("reference_rmsnorm", ROOT / "solutions" / "rmsnorm.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _assert_close(name, expected, got):
    expected = expected.detach().numpy()
    assert got.shape == expected.shape, f"{name}: shape {got.shape}, expected {expected.shape}"
    scale = max(np.abs(expected).max(), np.abs(got).max())
    error = 0.0 if scale == 0 else float(np.abs(expected - got).max() / scale)
    assert error <= TOLERANCE, f"{name}: relative error {error:.3g} > {TOLERANCE:g}"


@pytest.mark.parametrize("x_shape, scale, eps", [
    ((4, 6), 1.0, None), ((2, 3, 5), 1e-3, None), ((2, 2, 3, 4), 10.0, 1e-2), ((5, 1), 0.1, None), ((7,), 1.0, 1e-5),
])
def test_rmsnorm_matches_torch(x_shape, scale, eps):
    reference = _reference()
    rng = np.random.default_rng(sum(x_shape) * 10 + len(x_shape))
    x, gamma = rng.standard_normal(x_shape) * scale, rng.standard_normal(x_shape[-1:])
    dout = rng.standard_normal(x_shape)

    out, cache = reference.rmsnorm_forward(x, gamma) if eps is None else reference.rmsnorm_forward(x, gamma, eps)
    dx, dgamma = reference.rmsnorm_backward(dout, cache)

    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tgamma = torch.tensor(gamma, dtype=torch.float64, requires_grad=True)
    expected = F.rms_norm(tx, x_shape[-1:], weight=tgamma, eps=1e-6 if eps is None else eps)
    expected.backward(torch.tensor(dout, dtype=torch.float64))

    _assert_close("out", expected, out)
    _assert_close("dx", tx.grad, dx)
    _assert_close("dgamma", tgamma.grad, dgamma)
