"""Cross-check the attention reference against PyTorch, in float64.

attention_forward against torch.nn.functional.scaled_dot_product_attention with a boolean attn_mask
(True = attend, as ours), and attention_backward against its autograd gradients of q, k and v, for masks of
every shape the contract allows. PyTorch gives NaN for a query with no allowed key, where the contract gives
out = 0 and no gradient: such rows are compared by giving torch any key there and an upstream gradient of 0,
which leaves every other row, and every gradient, as the contract's. causal_mask is compared with
torch.ones(Tq, Tk).tril(diagonal=Tk - Tq), the bottom-right triangle.
"""
import zlib

import numpy as np
import pytest

from solutions import attention as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


attention = reference


def _torch_attention(q, k, v, mask, dout):
    """(out, dq, dk, dv) from torch, a query with no allowed key given every key and no upstream gradient."""
    shape = (q.shape[0], q.shape[1], k.shape[1])
    allowed = np.broadcast_to(True if mask is None else mask, shape)
    empty = ~allowed.any(axis=-1, keepdims=True)
    tensors = [torch.tensor(array, dtype=torch.float64, requires_grad=True) for array in (q, k, v)]
    out = F.scaled_dot_product_attention(*tensors, attn_mask=torch.tensor(allowed | empty))
    out.backward(torch.tensor(np.where(empty, 0.0, dout)))
    return (np.where(empty, 0.0, out.detach().numpy()), *(tensor.grad.numpy() for tensor in tensors))


def _padding(lengths, tk):
    return np.arange(tk)[None, None, :] < np.asarray(lengths)[:, None, None]


# (N, Tq, Tk, d, dv, mask): Tq != Tk and d != dv throughout
CASES = {
    "no mask": (3, 5, 7, 4, 6, None),
    "causal (Tq, Tk), Tq < Tk": (2, 4, 9, 8, 3, np.tri(4, 9, 5, dtype=bool)),
    "causal (Tq, Tk), Tq > Tk": (2, 6, 4, 5, 2, np.tri(6, 4, -2, dtype=bool)),
    "padding (N, 1, Tk)": (3, 5, 6, 4, 7, _padding([6, 2, 4], 6)),
    "full (N, Tq, Tk)": (2, 7, 5, 3, 4, np.random.default_rng(1).random((2, 7, 5)) < 0.5),
    "full, one example fully padded": (3, 2, 5, 6, 3, _padding([5, 0, 3], 5)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_attention_matches_torch(name):
    n, tq, tk, d, dv, mask = CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    q, k, v = (rng.standard_normal(shape) for shape in ((n, tq, d), (n, tk, d), (n, tk, dv)))
    dout = rng.standard_normal((n, tq, dv))
    out, cache = attention.attention_forward(q, k, v, mask)
    grads = attention.attention_backward(dout, cache)
    expected = _torch_attention(q, k, v, mask, dout)
    for label, want, got in zip(("out", "dq", "dk", "dv"), expected, (out, *grads)):
        assert_agrees(f"{name}: {label}", want, got)


def test_large_scores_match_torch():
    """Scores of about +-1e4: both sides stay finite and agree."""
    rng = np.random.default_rng(7)
    q, k = 100 * rng.standard_normal((2, 3, 4)), 100 * rng.standard_normal((2, 5, 4))
    v, dout = rng.standard_normal((2, 5, 2)), rng.standard_normal((2, 3, 2))
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out, cache = attention.attention_forward(q, k, v)
        grads = attention.attention_backward(dout, cache)
    for label, want, got in zip(("out", "dq", "dk", "dv"), _torch_attention(q, k, v, None, dout), (out, *grads)):
        assert_agrees(f"scores of 1e4: {label}", want, got)


@pytest.mark.parametrize("tq, tk", [(1, 1), (4, 4), (3, 7), (1, 6), (6, 3)])
def test_causal_mask_matches_torch_bottom_right(tq, tk):
    mask = attention.causal_mask(tq, tk)
    assert mask.dtype == bool
    np.testing.assert_array_equal(mask, torch.ones(tq, tk).tril(diagonal=tk - tq).bool().numpy())


def test_causal_mask_defaults_to_square():
    np.testing.assert_array_equal(attention.causal_mask(5), torch.ones(5, 5).tril().bool().numpy())
