# expect-fail: keep values
# diagnosis: indices in index order
"""The greedy pass records a survivor mask, and the answer is read off it with np.where(kept)[0]: the right boxes, but in index order instead of decreasing score."""
import numpy as np

from solutions.iou import iou_matrix


def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError("boxes must have shape (N, 4)")
    if len(scores) != len(boxes) or scores.ndim != 1:
        raise ValueError("one score per box")
    ious = iou_matrix(boxes, boxes)
    suppressed = np.zeros(len(boxes), dtype=bool)
    kept = np.zeros(len(boxes), dtype=bool)
    for i in np.argsort(-scores, kind="mergesort"):
        if suppressed[i]:
            continue
        kept[i] = True
        suppressed |= ious[i] > iou_threshold
    return np.where(kept)[0]
