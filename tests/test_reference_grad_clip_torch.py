"""The grad_clip reference against torch.nn.utils.clip_grad_norm_ (skipped without torch).

torch scales the .grad tensors in place by min(1, max_norm / (total_norm + 1e-6)); ours returns new arrays
scaled by max_norm / total_norm. The norms here are 10 or more, where the 1e-6 changes the factor by less than
1e-7 relative: the tolerance below is that, and the total norms agree to rounding.
"""
import numpy as np
import pytest

from solutions.grad_clip import clip_grad_norm
from torch_agreement import assert_agrees

torch = pytest.importorskip("torch")

SHAPES = {"W1": (8, 6), "b1": (6,), "conv": (3, 2, 3, 3), "W2": (6, 4), "b2": (4,)}


def _torch_clip(grads, max_norm):
    params = []
    for g in grads.values():
        p = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
        p.grad = torch.tensor(g.copy())
        params.append(p)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return {k: p.grad for k, p in zip(grads, params)}, float(total)


@pytest.mark.parametrize("seed, spread, max_norm", [(0, 3.0, 5.0), (1, 2.0, 1.0), (2, 5.0, 100.0), (3, 1.0, 1e9),
                                                    (4, 10.0, 0.5)])
def test_matches_torch(seed, spread, max_norm):
    rng = np.random.default_rng(seed)
    grads = {k: spread * rng.standard_normal(shape) for k, shape in SHAPES.items()}
    copies = {k: g.copy() for k, g in grads.items()}
    clipped, total_norm = clip_grad_norm(grads, max_norm)
    torch_clipped, torch_total = _torch_clip(grads, max_norm)
    assert total_norm >= 10
    assert abs(total_norm - torch_total) <= 1e-12 * torch_total
    assert clipped.keys() == grads.keys()
    for k in grads:
        assert_agrees(f"clipped[{k!r}]", torch_clipped[k], clipped[k], tolerance=1e-7)
        np.testing.assert_array_equal(grads[k], copies[k])  # ours modifies nothing


def test_below_threshold_unchanged_as_torch():
    rng = np.random.default_rng(7)
    grads = {k: 3 * rng.standard_normal(shape) for k, shape in SHAPES.items()}
    total = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    clipped, _ = clip_grad_norm(grads, 2 * total)
    torch_clipped, _ = _torch_clip(grads, 2 * total)
    for k in grads:
        assert_agrees(k, torch_clipped[k], clipped[k], tolerance=1e-12)


def test_empty_and_refused():
    assert clip_grad_norm({}, 1.0) == ({}, 0.0)
    assert float(torch.nn.utils.clip_grad_norm_([], 1.0)) == 0.0
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError):
            clip_grad_norm({"w": np.ones(3)}, bad)
