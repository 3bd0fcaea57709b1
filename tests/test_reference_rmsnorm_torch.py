"""Cross-check the rmsnorm reference against PyTorch's rms_norm, in float64: forward values and autograd gradients.

torch.nn.functional.rms_norm(x, (D,), weight=gamma, eps=eps) is the contract's formula exactly,
x / sqrt(mean(x**2 over the last axis) + eps) * gamma; the default eps is passed explicitly (1e-6), since
torch's own default (None) means machine epsilon.
"""

import numpy as np
import pytest

from solutions import rmsnorm as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


@pytest.mark.parametrize("x_shape, scale, eps", [
    ((4, 6), 1.0, None), ((2, 3, 5), 1e-3, None), ((2, 2, 3, 4), 10.0, 1e-2), ((5, 1), 0.1, None), ((7,), 1.0, 1e-5),
])
def test_rmsnorm_matches_torch(x_shape, scale, eps):
    rng = np.random.default_rng(sum(x_shape) * 10 + len(x_shape))
    x, gamma = rng.standard_normal(x_shape) * scale, rng.standard_normal(x_shape[-1:])
    dout = rng.standard_normal(x_shape)

    out, cache = reference.rmsnorm_forward(x, gamma) if eps is None else reference.rmsnorm_forward(x, gamma, eps)
    dx, dgamma = reference.rmsnorm_backward(dout, cache)

    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tgamma = torch.tensor(gamma, dtype=torch.float64, requires_grad=True)
    expected = F.rms_norm(tx, x_shape[-1:], weight=tgamma, eps=1e-6 if eps is None else eps)
    expected.backward(torch.tensor(dout, dtype=torch.float64))

    assert_agrees("out", expected, out)
    assert_agrees("dx", tx.grad, dx)
    assert_agrees("dgamma", tgamma.grad, dgamma)
