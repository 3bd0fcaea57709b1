# expect-fail: iou values; iou_matrix values; touching boxes give 0
# diagnosis: +1 pixel convention
"""Areas and overlaps computed with the +1 pixel convention, because it is copied from
old detection code (and blog posts) written for inclusive integer pixel indices."""
import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = map(float, box_a)
    bx1, by1, bx2, by2 = map(float, box_b)
    w = max(0.0, min(ax2, bx2) - max(ax1, bx1) + 1)
    h = max(0.0, min(ay2, by2) - max(ay1, by1) + 1)
    inter = w * h
    union = (ax2 - ax1 + 1) * (ay2 - ay1 + 1) + (bx2 - bx1 + 1) * (by2 - by1 + 1) - inter
    return inter / union if union > 0 else 0.0


def iou_matrix(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=float)[:, None, :]
    b = np.asarray(boxes_b, dtype=float)[None, :, :]
    w = np.maximum(0.0, np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]) + 1)
    h = np.maximum(0.0, np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]) + 1)
    inter = w * h
    area_a = (a[..., 2] - a[..., 0] + 1) * (a[..., 3] - a[..., 1] + 1)
    area_b = (b[..., 2] - b[..., 0] + 1) * (b[..., 3] - b[..., 1] + 1)
    union = area_a + area_b - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
