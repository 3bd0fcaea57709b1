# expect-fail: iou values; iou_matrix values
# diagnosis: integer division
"""The ratio taken with //, because box coordinates are thought of as integer pixels,
so every partial overlap floors to 0."""
import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = box_a
    bx1, by1, bx2, by2 = box_b
    inter = max(0, min(ax2, bx2) - max(ax1, bx1)) * max(0, min(ay2, by2) - max(ay1, by1))
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return float(inter // union) if union > 0 else 0.0


def iou_matrix(boxes_a, boxes_b):
    n, m = len(boxes_a), len(boxes_b)
    return np.array([[iou(a, b) for b in boxes_b] for a in boxes_a], dtype=float).reshape(n, m)
