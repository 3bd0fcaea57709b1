"""Cross-check the multihead_attention reference against PyTorch, in float64.

mha_forward against torch.nn.MultiheadAttention(D, num_heads, bias=False, batch_first=True), its in_proj_weight
the concatenation of w_q.T, w_k.T and w_v.T and its out_proj.weight w_o.T (torch's weights multiply on the left),
with attn_mask = ~mask (torch's boolean attn_mask is True where attending is NOT allowed), and mha_backward against
its autograd gradients; then against torch.nn.functional.scaled_dot_product_attention run head by head (True =
attend, as ours). PyTorch gives NaN for a query with no allowed key, where the contract gives out = 0 and no
gradient: such rows are compared by giving torch every key there and an upstream gradient of 0, which leaves every
other row, and every gradient, as the contract's.
"""
import zlib

import numpy as np
import pytest

from solutions import multihead_attention as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


mha = reference


def _allowed_and_empty(x, mask):
    """(N, T, T) allowed, with every key allowed for a query that has none; (N, T, 1) True for those queries."""
    n, t, _ = x.shape
    allowed = np.broadcast_to(True if mask is None else mask, (n, t, t))
    empty = ~allowed.any(axis=-1, keepdims=True)
    return allowed | empty, empty


def _torch_module(x, weights, num_heads, mask, dout):
    """(out, dx, dw_q, dw_k, dw_v, dw_o) from nn.MultiheadAttention and autograd."""
    w_q, w_k, w_v, w_o = weights
    d = x.shape[-1]
    layer = torch.nn.MultiheadAttention(d, num_heads, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        layer.in_proj_weight.copy_(torch.tensor(np.concatenate([w_q.T, w_k.T, w_v.T])))
        layer.out_proj.weight.copy_(torch.tensor(w_o.T))
    allowed, empty = _allowed_and_empty(x, mask)
    # A 3-D attn_mask is (N * num_heads, T, T), example n's head h at n * num_heads + h.
    attn_mask = torch.tensor(~np.repeat(allowed, num_heads, axis=0))
    xt = torch.tensor(x, requires_grad=True)
    out, _ = layer(xt, xt, xt, attn_mask=attn_mask, need_weights=False)
    out.backward(torch.tensor(np.where(empty, 0.0, dout)))
    grad_in = layer.in_proj_weight.grad.numpy()
    return (np.where(empty, 0.0, out.detach().numpy()), xt.grad.numpy(),
            grad_in[:d].T, grad_in[d:2 * d].T, grad_in[2 * d:].T, layer.out_proj.weight.grad.numpy().T)


def _torch_per_head(x, weights, num_heads, mask, dout):
    """The same from scaled_dot_product_attention on (N, H, T, dh) heads, the projections written out."""
    n, t, d = x.shape
    tensors = [torch.tensor(array, requires_grad=True) for array in (x, *weights)]
    xt, w_q, w_k, w_v, w_o = tensors
    q, k, v = ((xt @ w).reshape(n, t, num_heads, d // num_heads).transpose(1, 2) for w in (w_q, w_k, w_v))
    allowed, empty = _allowed_and_empty(x, mask)
    heads = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.tensor(allowed[:, None]))
    out = heads.transpose(1, 2).reshape(n, t, d) @ w_o
    out.backward(torch.tensor(np.where(empty, 0.0, dout)))
    return (np.where(empty, 0.0, out.detach().numpy()), *(tensor.grad.numpy() for tensor in tensors))


def _padding(lengths, t):
    return np.arange(t)[None, None, :] < np.asarray(lengths)[:, None, None]


# (N, T, D, num_heads, mask)
CASES = {
    "no mask, 2 heads": (2, 5, 8, 2, None),
    "one head": (3, 4, 6, 1, None),
    "heads of one column": (2, 3, 4, 4, None),
    "causal (T, T), 4 heads": (2, 6, 8, 4, np.tri(6, dtype=bool)),
    "padding (N, 1, T), 3 heads": (3, 5, 6, 3, _padding([5, 2, 4], 5)),
    "full (N, T, T)": (2, 4, 6, 2, np.random.default_rng(1).random((2, 4, 4)) < 0.5),
    "one example fully padded": (3, 4, 6, 3, _padding([4, 0, 2], 4)),
    "N = 1, T = 1": (1, 1, 4, 2, None),
}


@pytest.mark.parametrize("torch_side", [_torch_module, _torch_per_head], ids=["MultiheadAttention", "sdpa"])
@pytest.mark.parametrize("name", list(CASES))
def test_mha_matches_torch(name, torch_side):
    n, t, d, num_heads, mask = CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    x = rng.standard_normal((n, t, d))
    weights = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(4)]
    dout = rng.standard_normal((n, t, d))
    out, cache = mha.mha_forward(x, *weights, num_heads, mask)
    grads = mha.mha_backward(dout, cache)
    expected = torch_side(x, weights, num_heads, mask, dout)
    for label, want, got in zip(("out", "dx", "dw_q", "dw_k", "dw_v", "dw_o"), expected, (out, *grads)):
        assert_agrees(f"{name}: {label}", want, got)


def test_large_scores_match_torch():
    """Scores of about +-1e4: the reference stays finite without warnings and agrees with torch."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 4))
    weights = [30 * rng.standard_normal((4, 4)), 30 * rng.standard_normal((4, 4)), rng.standard_normal((4, 4)),
               rng.standard_normal((4, 4))]
    dout = rng.standard_normal((2, 3, 4))
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        out, cache = mha.mha_forward(x, *weights, 2)
        grads = mha.mha_backward(dout, cache)
    scores = mha._split_heads(x @ weights[0], 2) @ mha._split_heads(x @ weights[1], 2).swapaxes(-1, -2)
    assert np.abs(scores).max() / np.sqrt(2) > 1e3
    for label, want, got in zip(("out", "dx", "dw_q", "dw_k", "dw_v", "dw_o"),
                                _torch_module(x, weights, 2, None, dout), (out, *grads)):
        assert_agrees(f"scores of 1e4: {label}", want, got)


def test_num_heads_not_dividing_d_raises_like_torch():
    with pytest.raises(AssertionError):  # torch asserts embed_dim % num_heads == 0
        torch.nn.MultiheadAttention(6, 4, bias=False, batch_first=True)
    with pytest.raises(ValueError):
        mha.mha_forward(np.zeros((2, 3, 6)), *(np.eye(6) for _ in range(4)), 4)
