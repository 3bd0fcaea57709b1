# expect-fail: inputs not modified
"""Corners converted to (x, y, w, h) with boxes[:, 2:] -= boxes[:, :2], because
np.asarray looks like a copy, but for an array argument it is the caller's array."""
import numpy as np


def iou_matrix(boxes_a, boxes_b):
    a = np.asarray(boxes_a)
    b = np.asarray(boxes_b)
    a[:, 2:] -= a[:, :2]                      # now x, y, w, h
    b[:, 2:] -= b[:, :2]
    w = np.minimum(a[:, None, 0] + a[:, None, 2], b[None, :, 0] + b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 1] + a[:, None, 3], b[None, :, 1] + b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.maximum(w, 0) * np.maximum(h, 0)
    union = (a[:, None, 2] * a[:, None, 3] + b[None, :, 2] * b[None, :, 3] - inter).astype(float)
    return np.divide(inter, union, out=np.zeros_like(union), where=union > 0)


def iou(box_a, box_b):
    a = np.asarray(box_a)
    b = np.asarray(box_b)
    return float(iou_matrix(a.reshape(1, 4), b.reshape(1, 4))[0, 0])
