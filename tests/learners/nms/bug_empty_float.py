# expect-fail: no boxes
"""np.array(keep) without a dtype: a list of numpy integers gives an int64 array, but the empty list of no boxes (or a threshold that keeps nothing) gives float64."""
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
    keep = []
    for i in np.argsort(-scores, kind="mergesort"):
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= ious[i] > iou_threshold
    return np.array(keep)
