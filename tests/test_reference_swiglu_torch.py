"""Cross-check the swiglu reference against PyTorch, in float64: forward values and autograd gradients.

The block is written with torch ops, F.silu(x @ w_gate) * (x @ w_up) @ w_down, the contract's convention
(weights multiply on the right, no biases); nothing to convert.
"""

import numpy as np
import pytest

from solutions import swiglu as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


@pytest.mark.parametrize("x_shape, hidden", [
    ((4, 5), 3), ((2, 3, 4), 6), ((1, 4, 3), 5), ((5, 3), 1), ((2, 2, 3, 8), 16), ((8,), 4),
])
def test_swiglu_matches_torch(x_shape, hidden):
    rng = np.random.default_rng(sum(x_shape) * 100 + hidden)
    d = x_shape[-1]
    arrays = {"x": rng.standard_normal(x_shape) * 2, "w_gate": rng.standard_normal((d, hidden)),
              "w_up": rng.standard_normal((d, hidden)), "w_down": rng.standard_normal((hidden, d))}
    dout = rng.standard_normal(x_shape)

    out, cache = reference.swiglu_forward(*arrays.values())
    grads = reference.swiglu_backward(dout, cache)

    tensors = {name: torch.tensor(array, dtype=torch.float64, requires_grad=True) for name, array in arrays.items()}
    x, w_gate, w_up, w_down = tensors.values()
    expected = (F.silu(x @ w_gate) * (x @ w_up)) @ w_down
    expected.backward(torch.tensor(dout, dtype=torch.float64))

    assert_agrees("out", expected, out)
    for grad, (name, tensor) in zip(grads, tensors.items()):
        assert_agrees(f"d{name}", tensor.grad, grad)


def test_swiglu_is_stable_for_large_gates():
    """Gates of +-1000: silu is the identity or 0 there, as in torch, with no overflow warning."""
    x = np.array([[1.0, -1.0]])
    w_gate, w_up, w_down = np.array([[1000.0], [0.0]]), np.array([[1.0], [1.0]]), np.array([[1.0, 2.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is exact enough
        for sign in (1.0, -1.0):
            out, cache = reference.swiglu_forward(sign * x, w_gate, w_up, w_down)
            grads = reference.swiglu_backward(np.ones_like(out), cache)
            tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True)
                       for a in (sign * x, w_gate, w_up, w_down)]
            expected = (F.silu(tensors[0] @ tensors[1]) * (tensors[0] @ tensors[2])) @ tensors[3]
            expected.backward(torch.ones_like(expected))
            assert_agrees("out", expected, out)
            for grad, tensor in zip(grads, tensors):
                assert_agrees("gradient", tensor.grad, grad)
