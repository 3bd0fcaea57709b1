# expect: pass
"""The right indices, returned as a Python list (py_cpu_nms's keep): a list of ints is accepted."""
import numpy as np
exec(open(__file__.replace("nms_bug_list.py", "nms_ok_vec.py")).read()) if False else None
def nms(boxes, scores, iou_threshold):
    """returns a Python list"""
    boxes = np.asarray(boxes, dtype=float); scores = np.asarray(scores)
    if boxes.ndim != 2 or boxes.shape[1] != 4 or scores.shape != (len(boxes),):
        raise ValueError("shapes")
    order = np.argsort(-scores, kind="stable"); keep = []
    while order.size:
        i = order[0]; keep.append(int(i)); rest = order[1:]
        x1 = np.maximum(boxes[i, 0], boxes[rest, 0]); y1 = np.maximum(boxes[i, 1], boxes[rest, 1])
        x2 = np.minimum(boxes[i, 2], boxes[rest, 2]); y2 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = np.maximum(0, x2 - x1) * np.maximum(0, y2 - y1)
        union = (boxes[i, 2] - boxes[i, 0]) * (boxes[i, 3] - boxes[i, 1]) + (boxes[rest, 2] - boxes[rest, 0]) * (boxes[rest, 3] - boxes[rest, 1]) - inter
        order = rest[inter / union <= iou_threshold]
    return keep
