# expect: pass
"""Plain Python loops with an IoU of its own: sort the indices by score with a stable sort, then for each box in turn check it against every box kept so far. Quadratic and slow, but a direct reading of the rule, and self-contained."""
import numpy as np


def _iou(a, b):
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes, dtype=float)
    scores = np.asarray(scores, dtype=float)
    if boxes.ndim != 2 or boxes.shape[1] != 4 or scores.shape != (boxes.shape[0],):
        raise ValueError("boxes must be (N, 4) and scores (N,)")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])  # sorted() is stable: ties keep index order
    keep = []
    for i in order:
        if all(_iou(boxes[i], boxes[j]) <= iou_threshold for j in keep):
            keep.append(i)
    return np.array(keep, dtype=np.int64)
