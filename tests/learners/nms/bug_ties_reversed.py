# expect-fail: tied scores: lower index first
# diagnosis: ties: higher index first
"""order = scores.argsort()[::-1], the idiom of the classic py-faster-rcnn nms (here with a stable sort): reversing an ascending sort puts the highest scores first but also reverses every group of ties."""
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
    for i in np.argsort(scores, kind="stable")[::-1]:
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= ious[i] > iou_threshold
    return np.asarray(keep, dtype=np.intp)
