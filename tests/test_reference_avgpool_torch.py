"""The avgpool reference against torch.nn.functional.avg_pool2d and adaptive_avg_pool2d (skipped without torch)."""
import numpy as np
import pytest

from grader.checks.compare import compare_arrays
from solutions.avgpool import avgpool_backward, avgpool_forward, global_avgpool_backward, global_avgpool_forward

torch = pytest.importorskip("torch")


def _agree(name, ours, theirs):
    theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape, name
    assert compare_arrays(name, theirs, ours, tolerance=1e-10) is None, name


@pytest.mark.parametrize("x_shape, pool, stride", [
    ((2, 3, 4, 6), (2, 2), 2),
    ((2, 2, 7, 6), (3, 2), 2),
    ((1, 2, 6, 9), (2, 3), 3),
    ((2, 2, 5, 6), (3, 3), 1),   # overlapping windows
    ((1, 2, 5, 7), (2, 2), 2),   # the floor
    ((2, 1, 8, 5), (4, 1), 3),
])
def test_avgpool_matches_torch(x_shape, pool, stride):
    rng = np.random.default_rng(11)
    x = rng.standard_normal(x_shape)
    out, cache = avgpool_forward(x, pool_height=pool[0], pool_width=pool[1], stride=stride)
    dout = rng.standard_normal(out.shape)
    dx = avgpool_backward(dout, cache)

    tx = torch.tensor(x, requires_grad=True)
    tout = torch.nn.functional.avg_pool2d(tx, kernel_size=pool, stride=stride, padding=0)
    tout.backward(torch.tensor(dout))
    _agree("out", out, tout)
    _agree("dx", dx, tx.grad)


def test_avgpool_defaults_match_torch():
    x = np.random.default_rng(12).standard_normal((2, 3, 6, 5))
    out, _ = avgpool_forward(x)
    _agree("out", out, torch.nn.functional.avg_pool2d(torch.tensor(x), kernel_size=2))  # stride defaults to the kernel


@pytest.mark.parametrize("x_shape", [(2, 5, 3, 5), (3, 2, 4, 6), (2, 3, 1, 1), (1, 4, 7, 2)])
def test_global_avgpool_matches_torch(x_shape):
    rng = np.random.default_rng(13)
    x = rng.standard_normal(x_shape)
    out, cache = global_avgpool_forward(x)
    dout = rng.standard_normal(out.shape)
    dx = global_avgpool_backward(dout, cache)

    tx = torch.tensor(x, requires_grad=True)
    tout = torch.nn.functional.adaptive_avg_pool2d(tx, 1).flatten(1)
    tout.backward(torch.tensor(dout))
    _agree("out", out, tout)
    _agree("dx", dx, tx.grad)
