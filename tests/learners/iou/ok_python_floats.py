# expect: pass
"""Plain Python floats for one pair, and iou_matrix as a double loop over iou."""
import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = map(float, box_a)
    bx1, by1, bx2, by2 = map(float, box_b)
    w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    h = max(0.0, min(ay2, by2) - max(ay1, by1))
    inter = w * h
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    if union <= 0:
        return 0.0
    return inter / union


def iou_matrix(boxes_a, boxes_b):
    n, m = len(boxes_a), len(boxes_b)
    rows = [[iou(a, b) for b in boxes_b] for a in boxes_a]
    return np.array(rows, dtype=float).reshape(n, m)
