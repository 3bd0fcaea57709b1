"""The conv_transpose2d reference against torch.nn.functional.conv_transpose2d, and as conv2d's adjoint (skipped
without torch)."""
import numpy as np
import pytest

from grader.checks.compare import compare_arrays
from solutions.conv2d import conv2d_forward
from solutions.conv_transpose2d import conv_transpose2d_backward, conv_transpose2d_forward

torch = pytest.importorskip("torch")

SETTINGS = [
    ((2, 3, 3, 4), (3, 2, 3, 3), 1, 0),
    ((2, 2, 3, 2), (2, 3, 3, 3), 2, 1),
    ((1, 2, 3, 2), (2, 2, 3, 2), 3, 1),
    ((1, 2, 3, 3), (2, 3, 2, 2), 3, 0),   # stride larger than the kernel: gaps
    ((2, 3, 2, 3), (3, 2, 1, 1), 2, 0),
    ((1, 2, 3, 3), (2, 2, 3, 3), 1, 2),   # cropped to 1x1
    ((1, 2, 4, 2), (2, 1, 2, 3), 2, 1),
    ((2, 4, 5, 6), (4, 3, 4, 4), 2, 1),
]


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", SETTINGS)
def test_forward_and_backward_match_torch(x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(19)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[1])
    out, cache = conv_transpose2d_forward(x, w, b, stride=stride, pad=pad)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv_transpose2d_backward(dout, cache)

    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tout = torch.nn.functional.conv_transpose2d(tx, tw, tb, stride=stride, padding=pad)
    tout.backward(torch.tensor(dout))
    for name, ours, theirs in [("out", out, tout), ("dx", dx, tx.grad), ("dw", dw, tw.grad), ("db", db, tb.grad)]:
        theirs = theirs.detach().numpy()
        assert ours.shape == theirs.shape, name
        assert compare_arrays(name, theirs, ours, tolerance=1e-10) is None, name


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", SETTINGS)
def test_adjoint_of_conv2d(x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(23)
    y, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    out, _ = conv_transpose2d_forward(y, w, np.zeros(w_shape[1]), stride=stride, pad=pad)
    z = rng.standard_normal(out.shape)
    back, _ = conv2d_forward(z, w, np.zeros(w_shape[0]), stride=stride, pad=pad)
    assert back.shape == y.shape
    assert np.isclose(np.sum(out * z), np.sum(y * back), rtol=1e-12, atol=1e-12)
