# expect: pass
"""The torchvision-style loop with a one-against-many IoU of its own."""
import numpy as np
def _iou(box, boxes):
    x1 = np.maximum(box[0], boxes[:, 0]); y1 = np.maximum(box[1], boxes[:, 1])
    x2 = np.minimum(box[2], boxes[:, 2]); y2 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area(box) + area(boxes) - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes, dtype=float); scores = np.asarray(scores)
    if boxes.ndim != 2 or boxes.shape[1] != 4 or scores.shape != (len(boxes),):
        raise ValueError("shapes")
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size:
        i = order[0]; keep.append(i)
        rest = order[1:]
        order = rest[_iou(boxes[i], boxes[rest]) <= iou_threshold]
    return np.array(keep, dtype=np.int64)
