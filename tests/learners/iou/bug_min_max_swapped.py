# expect-fail: iou values; iou_matrix values; disjoint boxes give 0; touching boxes give 0
# diagnosis: intersection from the enclosing box
"""The intersection's corners taken with min for the top-left and max for the
bottom-right, because "the overlap" is pictured as the box that covers both, which
is the enclosing box."""
import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = map(float, box_a)
    bx1, by1, bx2, by2 = map(float, box_b)
    inter = max(0.0, max(ax2, bx2) - min(ax1, bx1)) * max(0.0, max(ay2, by2) - min(ay1, by1))
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return inter / union if union != 0 else 0.0


def iou_matrix(boxes_a, boxes_b):
    n, m = len(boxes_a), len(boxes_b)
    return np.array([[iou(a, b) for b in boxes_b] for a in boxes_a], dtype=float).reshape(n, m)
