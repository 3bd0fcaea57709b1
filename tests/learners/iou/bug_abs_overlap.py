# expect-fail: iou values; iou_matrix values; disjoint boxes give 0; zero union gives 0
# diagnosis: overlap not clamped at 0
"""np.abs((x2 - x1) * (y2 - y1)) for the intersection's area, because areas are "never negative" and abs
looked like the tidy way to say so; for boxes apart along both axes the two negative sides multiply to
a positive area, and for boxes apart along one axis abs turns a negative area positive."""
import numpy as np


def iou(box_a, box_b):
    xi1, yi1 = max(box_a[0], box_b[0]), max(box_a[1], box_b[1])
    xi2, yi2 = min(box_a[2], box_b[2]), min(box_a[3], box_b[3])
    inter = abs((xi2 - xi1) * (yi2 - yi1))
    union = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1]) + (box_b[2] - box_b[0]) * (box_b[3] - box_b[1]) - inter
    return float(inter / union) if union != 0 else 0.0


def iou_matrix(boxes_a, boxes_b):
    result = np.zeros((len(boxes_a), len(boxes_b)))
    for i in range(len(boxes_a)):
        for j in range(len(boxes_b)):
            result[i, j] = iou(boxes_a[i], boxes_b[j])
    return result
