"""The conv2d reference against torch.nn.functional.conv2d (skipped without torch)."""
import numpy as np
import pytest

from grader.checks.compare import compare_arrays
from solutions.conv2d import conv2d_backward, conv2d_forward

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", [
    ((2, 3, 5, 6), (4, 3, 3, 3), 1, 0),
    ((2, 2, 7, 5), (3, 2, 2, 3), 2, 1),
    ((1, 2, 8, 7), (2, 2, 3, 3), 3, 0),
    ((1, 1, 6, 9), (2, 1, 3, 2), 3, 2),
    ((3, 4, 4, 4), (5, 4, 1, 1), 1, 0),
    ((2, 2, 3, 4), (3, 2, 5, 6), 1, 1),
])
def test_forward_and_backward_match_torch(x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    out, cache = conv2d_forward(x, w, b, stride=stride, pad=pad)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)

    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=pad)
    tout.backward(torch.tensor(dout))
    for name, ours, theirs in [("out", out, tout), ("dx", dx, tx.grad), ("dw", dw, tw.grad), ("db", db, tb.grad)]:
        theirs = theirs.detach().numpy()
        assert ours.shape == theirs.shape, name
        assert compare_arrays(name, theirs, ours, tolerance=1e-10) is None, name
