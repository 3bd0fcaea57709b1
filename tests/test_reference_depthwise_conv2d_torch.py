"""The depthwise_conv2d reference against torch.nn.functional.conv2d with groups=C (skipped without torch)."""
import numpy as np
import pytest

from grader.checks.compare import compare_arrays
from solutions.depthwise_conv2d import depthwise_conv2d_backward, depthwise_conv2d_forward

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("x_shape, kernel, stride, pad", [
    ((2, 3, 5, 6), (3, 3), 1, 0),
    ((2, 2, 4, 3), (3, 2), 1, 1),
    ((1, 3, 5, 4), (3, 3), 2, 1),
    ((1, 2, 7, 5), (3, 3), 3, 0),
    ((2, 4, 2, 3), (1, 1), 1, 0),
    ((2, 1, 4, 5), (3, 3), 1, 1),
    ((1, 5, 6, 7), (2, 4), 2, 2),
])
def test_forward_and_backward_match_torch(x_shape, kernel, stride, pad):
    rng = np.random.default_rng(17)
    C = x_shape[1]
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal((C, 1, *kernel)), rng.standard_normal(C)
    out, cache = depthwise_conv2d_forward(x, w, b, stride=stride, pad=pad)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = depthwise_conv2d_backward(dout, cache)

    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=pad, groups=C)
    tout.backward(torch.tensor(dout))
    for name, ours, theirs in [("out", out, tout), ("dx", dx, tx.grad), ("dw", dw, tw.grad), ("db", db, tb.grad)]:
        theirs = theirs.detach().numpy()
        assert ours.shape == theirs.shape, name
        assert compare_arrays(name, theirs, ours, tolerance=1e-10) is None, name
