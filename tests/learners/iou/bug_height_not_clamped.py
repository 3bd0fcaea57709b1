# expect-fail: iou values; iou_matrix values; disjoint boxes give 0
# diagnosis: negative IoU
"""Only the overlap's width is clamped at 0. The learner first tried two boxes side by side, saw a
negative width, added max(0, ...) there and reasoned that "a zero width already makes the product
zero"; boxes stacked one above the other (apart along y only) still get a negative height, so a
negative intersection and a negative IoU."""
import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = [float(v) for v in box_a]
    bx1, by1, bx2, by2 = [float(v) for v in box_b]
    overlap_w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    overlap_h = min(ay2, by2) - max(ay1, by1)
    inter = overlap_w * overlap_h
    area_a = (ax2 - ax1) * (ay2 - ay1)
    area_b = (bx2 - bx1) * (by2 - by1)
    union = area_a + area_b - inter
    return inter / union if union > 0 else 0.0


def iou_matrix(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=float)
    b = np.asarray(boxes_b, dtype=float)
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.maximum(0.0, x2 - x1) * (y2 - y1)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    out = np.zeros(inter.shape)
    np.divide(inter, union, out=out, where=union > 0)
    return out
