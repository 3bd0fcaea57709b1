# expect: pass
"""Pure Python loops, a suppressed list, sorted() by -score (stable), keep as int32."""
import numpy as np
def nms(boxes, scores, iou_threshold):
    boxes = np.asarray(boxes)
    if boxes.ndim != 2 or boxes.shape[1] != 4 or len(scores) != len(boxes) or np.ndim(scores) != 1:
        raise ValueError("boxes must be (N, 4) and scores (N,)")
    idx = sorted(range(len(boxes)), key=lambda i: -scores[i])
    suppressed = [False] * len(boxes)
    keep = []
    for a, i in enumerate(idx):
        if suppressed[i]:
            continue
        keep.append(i)
        for j in idx[a + 1:]:
            if suppressed[j]:
                continue
            xx1 = max(boxes[i][0], boxes[j][0]); yy1 = max(boxes[i][1], boxes[j][1])
            xx2 = min(boxes[i][2], boxes[j][2]); yy2 = min(boxes[i][3], boxes[j][3])
            inter = max(0.0, xx2 - xx1) * max(0.0, yy2 - yy1)
            ua = (boxes[i][2] - boxes[i][0]) * (boxes[i][3] - boxes[i][1]) + \
                 (boxes[j][2] - boxes[j][0]) * (boxes[j][3] - boxes[j][1]) - inter
            if ua > 0 and inter / ua > iou_threshold:
                suppressed[j] = True
    return np.asarray(keep, dtype=np.int32)
