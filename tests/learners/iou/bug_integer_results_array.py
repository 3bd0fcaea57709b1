# expect-fail: integer coordinates
# diagnosis: IoU truncated to an integer
"""iou is right; iou_matrix preallocates its result with np.zeros((N, M), dtype=boxes_a.dtype),
because "the output should match the input's dtype" is a habit from elementwise code; with integer
boxes every entry is written into an int64 array and truncated, so partial overlaps become 0."""
import numpy as np


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = box_a
    bx1, by1, bx2, by2 = box_b
    iw = max(0, min(ax2, bx2) - max(ax1, bx1))
    ih = max(0, min(ay2, by2) - max(ay1, by1))
    inter = iw * ih
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    if union == 0:
        return 0.0
    return float(inter / union)


def iou_matrix(boxes_a, boxes_b):
    boxes_a = np.asarray(boxes_a)
    boxes_b = np.asarray(boxes_b)
    N, M = len(boxes_a), len(boxes_b)
    result = np.zeros((N, M), dtype=boxes_a.dtype)
    for i in range(N):
        for j in range(M):
            result[i, j] = iou(boxes_a[i], boxes_b[j])
    return result
