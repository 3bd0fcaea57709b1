"""The lora reference against PyTorch autograd, in float64 (skipped without torch).

The forward is written with torch ops as the contract states it, x @ w + b + (alpha / r) * (x @ lora_a) @ lora_b,
with w and b frozen (requires_grad False): autograd's gradients of x, lora_a and lora_b must be the reference's.
"""
import numpy as np
import pytest

from grader.checks.compare import compare_arrays
from solutions.lora import lora_backward, lora_forward

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("n, d_in, d_out, r, alpha, b_zero", [
    (4, 5, 3, 2, 8.0, False),
    (3, 6, 7, 3, 1.5, False),
    (1, 5, 4, 2, 6.0, False),
    (3, 4, 5, 1, 4.0, False),
    (6, 8, 8, 4, 4.0, False),     # alpha = r: a scale of 1
    (4, 5, 6, 2, 16.0, True),     # lora_b = 0, LoRA's initialisation
    (16, 32, 24, 8, 16.0, False),
])
def test_forward_and_backward_match_torch(n, d_in, d_out, r, alpha, b_zero):
    rng = np.random.default_rng(11)
    x, w, b = rng.standard_normal((n, d_in)), rng.standard_normal((d_in, d_out)), rng.standard_normal(d_out)
    lora_a = rng.standard_normal((d_in, r))
    lora_b = np.zeros((r, d_out)) if b_zero else rng.standard_normal((r, d_out))
    out, cache = lora_forward(x, w, b, lora_a, lora_b, alpha)
    dout = rng.standard_normal(out.shape)
    dx, dlora_a, dlora_b = lora_backward(dout, cache)

    tx, ta, tb = (torch.tensor(array, requires_grad=True) for array in (x, lora_a, lora_b))
    tw, tbias = torch.tensor(w), torch.tensor(b)  # frozen: no gradient
    tout = tx @ tw + tbias + (alpha / r) * ((tx @ ta) @ tb)
    tout.backward(torch.tensor(dout))
    assert tw.grad is None and tbias.grad is None
    for name, ours, theirs in [("out", out, tout), ("dx", dx, tx.grad), ("dlora_a", dlora_a, ta.grad),
                               ("dlora_b", dlora_b, tb.grad)]:
        theirs = theirs.detach().numpy()
        assert ours.shape == theirs.shape, name
        assert compare_arrays(name, theirs, ours, tolerance=1e-10) is None, name
    if b_zero:  # the contract's promise at LoRA's start: dlora_a exactly 0, dlora_b not
        assert not np.any(dlora_a) and np.any(dlora_b)
        assert compare_arrays("out", x @ w + b, out, tolerance=1e-12) is None


def test_backward_returns_fresh_arrays_on_a_second_call():
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(shape) for shape in ((3, 4), (4, 5), (5,), (4, 2), (2, 5))]
    out, cache = lora_forward(*arrays, alpha=3.0)
    dout = rng.standard_normal(out.shape)
    first = lora_backward(dout, cache)
    second = lora_backward(dout, cache)
    for a, b in zip(first, second):
        assert a is not b and np.array_equal(a, b)
