"""The nms reference against torchvision.ops.nms when torchvision is installed (skipped without it), and always
against a brute force of the stated rule (IoU > threshold suppresses, only kept boxes suppress, scores descending,
ties lower index first)."""
import numpy as np
import pytest

from solutions.nms import nms


def _brute_force(boxes, scores, threshold):
    """The rule read literally: walk the boxes by (-score, index); a box survives unless a survivor before it
    overlaps it by IoU > threshold (IoU with the iou kata's conventions, computed pair by pair in plain Python)."""
    def iou(a, b):
        w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
        h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
        return w * h / union if union > 0 else 0.0
    survivors = []
    for i in sorted(range(len(scores)), key=lambda i: (-scores[i], i)):
        if not any(iou(boxes[j].tolist(), boxes[i].tolist()) > threshold for j in survivors):
            survivors.append(i)
    return survivors


def _draw(rng, n, ties):
    centres = rng.uniform(0, 10, (n, 2))
    centres[n // 2:] = centres[: n - n // 2] + rng.normal(0, 0.4, (n - n // 2, 2))  # pairs of near-copies
    halves = rng.uniform(0.5, 2.0, (n, 2))
    scores = rng.integers(0, 4, n).astype(float) if ties else rng.uniform(0, 1, n)
    return np.hstack([centres - halves, centres + halves]), scores


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.7, 1.0])
def test_matches_a_brute_force_of_the_rule(seed, threshold):
    rng = np.random.default_rng(seed)
    boxes, scores = _draw(rng, int(rng.integers(0, 25)), ties=seed % 2 == 0)
    keep = nms(boxes, scores, threshold)
    assert keep.dtype.kind == "i" and keep.ndim == 1
    assert keep.tolist() == _brute_force(boxes, scores, threshold)


def test_an_iou_equal_to_the_threshold_is_kept():
    boxes = np.array([[0, 0, 2, 2], [0, 0, 2, 1.0]])  # IoU exactly 0.5
    assert nms(boxes, np.array([0.9, 0.8]), 0.5).tolist() == [0, 1]
    assert nms(boxes, np.array([0.9, 0.8]), 0.49).tolist() == [0]


@pytest.mark.parametrize("seed", range(10))
def test_matches_torchvision(seed):
    torch = pytest.importorskip("torch")
    ops = pytest.importorskip("torchvision.ops")
    rng = np.random.default_rng(100 + seed)
    boxes, scores = _draw(rng, 30, ties=False)  # distinct scores: torchvision leaves the order of ties open
    for threshold in (0.2, 0.5, 0.8):
        theirs = ops.nms(torch.tensor(boxes), torch.tensor(scores), threshold).numpy()
        assert nms(boxes, scores, threshold).tolist() == theirs.tolist()
