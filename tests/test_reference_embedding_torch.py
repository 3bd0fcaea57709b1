"""Cross-check the embedding reference against PyTorch, in float64: torch.nn.functional.embedding for out, autograd
for dweight (which accumulates every occurrence of a repeated id, and leaves rows no id picks at 0)."""

import numpy as np
import pytest

from solutions import embedding as reference
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")

TOLERANCE = 1e-12  # both sides add the same float64 numbers, possibly in another order


@pytest.mark.parametrize("ids_shape, vocabulary, dim", [
    ((7,), 10, 4),          # 1-D ids
    ((3, 5), 6, 8),         # (N, T): ids repeat
    ((2, 3, 4), 4, 3),      # 3-D, many repeats
    ((4, 3), 1, 5),         # V = 1: every id is 0
    ((2, 6), 50, 2),        # most rows never used
])
def test_embedding_matches_torch_forward_and_autograd(ids_shape, vocabulary, dim):
    rng = np.random.default_rng(hash((ids_shape, vocabulary, dim)) % 2**32)
    ids = rng.integers(0, vocabulary, ids_shape)
    weight = rng.standard_normal((vocabulary, dim))
    dout = rng.standard_normal(ids_shape + (dim,))

    out, cache = reference.embedding_forward(ids, weight)
    dweight = reference.embedding_backward(dout, cache)

    weight_t = torch.tensor(weight, dtype=torch.float64, requires_grad=True)
    out_t = torch.nn.functional.embedding(torch.tensor(ids, dtype=torch.long), weight_t)
    out_t.backward(torch.tensor(dout, dtype=torch.float64))

    assert_agrees("out", out_t, out, tolerance=TOLERANCE)
    assert_agrees("dweight", weight_t.grad, dweight, tolerance=TOLERANCE)
    unused = ~np.isin(np.arange(vocabulary), ids)
    assert np.all(dweight[unused] == 0) and np.all(weight_t.grad.numpy()[unused] == 0)
    # backward again with the same cache: the same, fresh array
    again = reference.embedding_backward(dout, cache)
    assert again is not dweight and np.array_equal(again, dweight)


@pytest.mark.parametrize("bad_id", [-1, 5])
def test_ids_out_of_range_raise_where_torch_refuses_them_too(bad_id):
    weight = np.random.default_rng(0).standard_normal((5, 3))
    ids = np.array([0, bad_id, 2])
    with pytest.raises(ValueError):
        reference.embedding_forward(ids, weight)
    with pytest.raises((IndexError, RuntimeError)):
        torch.nn.functional.embedding(torch.tensor(ids), torch.tensor(weight))
