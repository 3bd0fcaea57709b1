# expect-fail: zero union gives 0
# diagnosis: zero union gives NaN
"""No guard for a zero union, because it only happens for degenerate (zero-area) boxes,
so 0/0 gives NaN and a RuntimeWarning."""
import numpy as np


def iou_matrix(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=float)[:, None, :]
    b = np.asarray(boxes_b, dtype=float)[None, :, :]
    w = np.maximum(0.0, np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]))
    h = np.maximum(0.0, np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]))
    inter = w * h
    union = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1]) + (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1]) - inter
    return inter / union


def iou(box_a, box_b):
    return iou_matrix(np.asarray(box_a)[None], np.asarray(box_b)[None])[0, 0]
