# expect-fail: dropped boxes suppress nothing
# diagnosis: dropped boxes still suppress
"""Fast NMS (as in YOLACT), taken for the greedy rule: with the boxes in score order, a box is dropped when ANY higher-scoring box overlaps it by more than the threshold, one vectorised test over the upper triangle of the IoU matrix, even when that higher-scoring box was itself dropped."""
import numpy as np

from solutions.iou import iou_matrix


def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if boxes.ndim != 2 or boxes.shape[1] != 4 or scores.shape != (len(boxes),):
        raise ValueError("boxes must be (N, 4) and scores (N,)")
    order = np.argsort(-scores, kind="stable")
    ious = np.triu(iou_matrix(boxes[order], boxes[order]), k=1)
    dropped = (ious > iou_threshold).any(axis=0)
    return order[~dropped].astype(np.int64)
