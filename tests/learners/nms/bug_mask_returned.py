# expect-fail: keep is 1-D integers (an array or a list)
# diagnosis: mask or boxes returned instead of indices
"""Returns which boxes survive as a boolean mask, convenient for boxes[mask] downstream, instead of the kept indices in score order that torchvision.ops.nms returns."""
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
    return kept
