# expect-fail: empty box sets
"""iou_matrix built with np.stack over a list of rows, because it reads cleanly, but
np.stack of an empty list raises when N = 0."""
import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = map(float, box_a)
    bx1, by1, bx2, by2 = map(float, box_b)
    inter = max(0.0, min(ax2, bx2) - max(ax1, bx1)) * max(0.0, min(ay2, by2) - max(ay1, by1))
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return inter / union if union > 0 else 0.0


def iou_matrix(boxes_a, boxes_b):
    return np.stack([np.array([iou(a, b) for b in boxes_b], dtype=float) for a in boxes_a])
