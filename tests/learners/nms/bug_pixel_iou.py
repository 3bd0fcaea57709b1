# expect-fail: threshold 0: touching boxes kept
# diagnosis: IoU with +1 pixel
"""py_cpu_nms's IoU: widths x2 - x1 + 1, the inclusive-pixel convention."""
import numpy as np
def nms(boxes, scores, iou_threshold):
    """a box with inter > 0 drops at threshold 0 -- right -- but a zero-area union divides 0/0 -> nan, and nan > t is False; also uses IoU with the +1 pixel convention"""
    boxes = np.asarray(boxes, dtype=float); scores = np.asarray(scores)
    if boxes.ndim != 2 or boxes.shape[1] != 4 or scores.shape != (len(boxes),):
        raise ValueError("shapes")
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size:
        i = order[0]; keep.append(i); rest = order[1:]
        x1 = np.maximum(boxes[i, 0], boxes[rest, 0]); y1 = np.maximum(boxes[i, 1], boxes[rest, 1])
        x2 = np.minimum(boxes[i, 2], boxes[rest, 2]); y2 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = np.maximum(0, x2 - x1 + 1) * np.maximum(0, y2 - y1 + 1)
        a = (boxes[i, 2] - boxes[i, 0] + 1) * (boxes[i, 3] - boxes[i, 1] + 1)
        b = (boxes[rest, 2] - boxes[rest, 0] + 1) * (boxes[rest, 3] - boxes[rest, 1] + 1)
        order = rest[inter / (a + b - inter) <= iou_threshold]
    return np.array(keep, dtype=np.int64)
