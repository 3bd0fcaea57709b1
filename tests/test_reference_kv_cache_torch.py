"""Cross-check the kv_cache reference against PyTorch, in float64, forward only (the kata has no backward).

The expected output is causal multi-head self-attention over the whole sequence, each head through
torch.nn.functional.scaled_dot_product_attention with a boolean attn_mask (True = attend), the causal mask
aligned bottom-right as torch.ones(Tq, Tk).tril(diagonal=Tk - Tq). The reference's decode_step, fed the sequence
in chunks, each call given the cache the one before returned, must give the last rows of it at every call; and
torch's attention of a chunk's queries alone over every key so far, with the (S, T) bottom-right mask, must agree
with both.
"""

import numpy as np
import pytest

from solutions import kv_cache as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")
F = torch.nn.functional


kv_cache = reference


def _torch_mha(x_queries, x, weights, num_heads):
    """Causal mha of the rows x_queries (the last Tq positions of x) over all of x: (N, Tq, D)."""
    w_q, w_k, w_v, w_o = (torch.tensor(w, dtype=torch.float64) for w in weights)
    xq, xk = torch.tensor(x_queries, dtype=torch.float64), torch.tensor(x, dtype=torch.float64)
    (n, tq, d), tk, dh = xq.shape, xk.shape[1], x.shape[-1] // num_heads

    def heads(a):
        return a.reshape(n, a.shape[1], num_heads, dh).transpose(1, 2)
    mask = torch.ones(tq, tk, dtype=torch.bool).tril(diagonal=tk - tq)
    out = F.scaled_dot_product_attention(heads(xq @ w_q), heads(xk @ w_k), heads(xk @ w_v), attn_mask=mask)
    return out.transpose(1, 2).reshape(n, tq, d) @ w_o


# (N, D, num_heads, chunk sizes): a prompt then single tokens and chunks, a start with one token, one head, D heads
CASES = {
    "prompt, then 1, 2, 1": (2, 12, 3, (5, 1, 2, 1)),
    "one token first": (2, 12, 3, (1, 1, 2, 1)),
    "num_heads = 1": (1, 8, 1, (3, 1, 2)),
    "num_heads = D": (2, 6, 6, (2, 1, 3)),
    "long chunks": (3, 16, 4, (7, 4, 1, 9, 1, 1)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_chunked_decode_gives_the_last_rows_of_full_causal_mha(case):
    n, d, heads, chunks = CASES[case]
    rng = np.random.default_rng(sum(map(ord, case)))
    x = rng.standard_normal((n, sum(chunks), d))
    weights = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(4)]
    full = _torch_mha(x, x, weights, heads)
    cache, t = None, 0
    for k, s in enumerate(chunks, 1):
        x_new = x[:, t:t + s].copy()
        out_new, cache = kv_cache.decode_step(x_new, *weights, heads, cache)
        t += s
        assert_agrees(f"{case}: call {k}, against full mha's last rows", full[:, t - s:t], out_new)
        assert_agrees(f"{case}: call {k}, against the chunk's queries alone",
                     _torch_mha(x_new, x[:, :t], weights, heads), out_new)


def test_num_heads_not_dividing_d_raises():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError):
        kv_cache.decode_step(rng.standard_normal((2, 3, 12)), *(rng.standard_normal((12, 12)) for _ in range(4)), 5)
