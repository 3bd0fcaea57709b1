# expect: pass
"""Vectorised with np.clip and broadcasting, 0/0 silenced with np.errstate then zeroed,
and iou as a 1x1 iou_matrix."""
import numpy as np


def iou_matrix(boxes_a, boxes_b):
    a = np.asarray(boxes_a, dtype=np.float64)
    b = np.asarray(boxes_b, dtype=np.float64)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    top_left = np.maximum(a[:, None, :2], b[None, :, :2])       # (N, M, 2)
    bottom_right = np.minimum(a[:, None, 2:], b[None, :, 2:])   # (N, M, 2)
    wh = np.clip(bottom_right - top_left, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        result = inter / union
    result[union == 0] = 0.0
    return result


def iou(box_a, box_b):
    return float(iou_matrix([box_a], [box_b])[0, 0])
