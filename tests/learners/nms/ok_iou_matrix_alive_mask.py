# expect: pass
"""The full IoU matrix of the sorted boxes, an alive mask updated row by row, order[alive] returned."""
import numpy as np
def iou_matrix(a, b):
    lt = np.maximum(a[:, None, :2], b[None, :, :2]); rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = np.clip(rb - lt, 0, None); inter = wh[..., 0] * wh[..., 1]
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1); area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / union, 0.0)
def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes, dtype=np.float64); scores = np.asarray(scores, dtype=np.float64)
    if boxes.ndim != 2 or boxes.shape[-1] != 4 or scores.shape != boxes.shape[:1]:
        raise ValueError("bad shapes")
    order = np.argsort(-scores, kind="mergesort")
    ious = iou_matrix(boxes[order], boxes[order])
    alive = np.ones(len(order), dtype=bool)
    for r in range(len(order)):
        if alive[r]:
            alive[r + 1:] &= ious[r, r + 1:] <= iou_threshold
    return order[alive]
