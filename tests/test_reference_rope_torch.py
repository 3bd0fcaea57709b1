"""Cross-check the rope reference against PyTorch, in float64.

PyTorch has no RoPE layer of its own; the independent side is the Hugging Face LLaMA formulation written in torch
(transformers' LlamaRotaryEmbedding and apply_rotary_pos_emb): inv_freq = 1 / base**(arange(0, d, 2) / d),
cos/sin tables of width d from cat(freqs, freqs), and x * cos + rotate_half(x) * sin with rotate_half(x) =
cat(-x2, x1). Its gradient comes from autograd, not from a transpose written by hand.
"""

import numpy as np
import pytest

from solutions import rope as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")

TOLERANCE = 1e-12  # both sides are the same exact float64 formula up to rounding


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def hf_rope(x, position_ids, base):
    """Hugging Face LLaMA's rotary embedding of x (..., T, d) at position_ids (T,)."""
    d = x.shape[-1]
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    freqs = position_ids.to(torch.float64)[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return x * emb.cos() + rotate_half(x) * emb.sin()


@pytest.mark.parametrize("shape, positions, base", [
    ((5, 6), None, 10000.0),
    ((2, 7, 8), None, 10000.0),
    ((2, 3, 4, 16), np.array([3, 7, 8, 20]), 10000.0),
    ((3, 5, 10), np.array([100, 0, 2, 41, 7]), 100.0),
    ((2, 2, 9, 64), np.arange(500, 509), 500000.0),  # LLaMA 3's base, far positions
])
def test_rope_matches_hugging_face_llama_in_torch(shape, positions, base):
    ref = reference
    rng = np.random.default_rng(sum(shape) + int(base))
    x, dout = rng.standard_normal(shape), rng.standard_normal(shape)
    kwargs = {} if positions is None else {"positions": positions}
    out, cache = ref.rope_forward(x, base=base, **kwargs)
    dx = ref.rope_backward(dout, cache)

    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ids = torch.arange(shape[-2]) if positions is None else torch.tensor(positions)
    expected = hf_rope(xt, ids, base)
    expected.backward(torch.tensor(dout, dtype=torch.float64))

    assert_agrees("out", expected, out, tolerance=TOLERANCE)
    assert_agrees("dx", xt.grad, dx, tolerance=TOLERANCE)
