"""Reference solution for the nms kata: greedy non-maximum suppression, built on the iou kata's iou_matrix.

Greedy NMS is a loop over the boxes that survive, in decreasing score order: the best remaining box is kept, and
every remaining box that overlaps it by more than the threshold is dropped in one vectorised step (one row of
IoUs against all the rest). The loop runs once per KEPT box, never once per pair.
"""

import numpy as np

from .iou import iou_matrix


def nms(boxes, scores, iou_threshold):
    """Greedy non-maximum suppression, as torchvision.ops.nms.

    Detectors propose many overlapping boxes for one object; NMS keeps the
    best-scoring one of each group:

        order the boxes by score, highest first
        while boxes remain:
            take the first remaining box: it is kept
            drop every remaining box whose IoU with it is > iou_threshold

    A dropped box never suppresses anything: only kept boxes do.

    Build it on your iou kata: katas/iou.py's iou_matrix is imported at the
    top of this file (`from katas.iou import iou_matrix`), and its
    conventions hold here: continuous coordinates (area (x2 - x1) *
    (y2 - y1), no +1), boxes that only touch have IoU 0, and a zero union
    gives IoU 0. The grader grades your iou kata first.

    Inputs:
    - boxes: Array of shape (N, 4), one box (x1, y1, x2, y2) per row, with
      x1 <= x2 and y1 <= y2, of ints or floats
    - scores: Array of shape (N,), the score of each box
    - iou_threshold: A float; a box is dropped when its IoU with a kept box
      is STRICTLY greater than it (an IoU equal to the threshold is kept,
      as in torchvision)

    Returns:
    - keep: Integer array (dtype int64, say) of shape (K,), or a list of
      ints (py_cpu_nms's keep list): the indices into boxes of the kept
      boxes, in decreasing order of score: indices, not a boolean mask
      and not the boxes themselves. Equal scores are
      taken lower index first (a stable sort of the scores, descending;
      torchvision leaves the order of ties unspecified, this kata does
      not). N = 0 (boxes of shape (0, 4)) gives an empty integer array of
      shape (0,).

    Raises ValueError when boxes is not of shape (N, 4) or scores not of
    shape (N,). Do not modify boxes or scores in place.

    What is graded: keep is 1-D integers (an array or a list); its
    length and values equal the reference solution's exactly (indices:
    the agreement rule of the array katas, 1e-6 relative and 1e-10 * s
    absolute, does not apply), on clustered random boxes with thresholds 0.3, 0.5 and 0.7;
    edge cases: an IoU exactly equal to the threshold (kept: > suppresses,
    >= does not), tied scores (lower index first, which also decides which
    of two overlapping tied boxes survives), a box suppressed by a kept box
    does not suppress others, threshold 0 (any overlap suppresses, touching
    boxes do not) and threshold 1 (nothing is suppressed, identical boxes
    included), no boxes (an empty integer array), one box, integer
    coordinates; boxes of shape (N, 3) and scores of the wrong length raise
    ValueError; boxes and scores not modified; the same inputs giving the
    same output. Speed is measured and shown beside the score, never scored.
    """
    boxes = np.asarray(boxes, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"boxes must have shape (N, 4), not {boxes.shape}")
    if scores.shape != (len(boxes),):
        raise ValueError(f"scores must have shape ({len(boxes)},), not {scores.shape}")
    # Highest score first; a stable sort of -scores keeps equal scores in index order (argsort(scores)[::-1]
    # would put the higher index first).
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size:
        best, order = order[0], order[1:]
        keep.append(best)
        # One row of IoUs: the kept box against every box still in the running. Only > drops a box.
        order = order[iou_matrix(boxes[best][None], boxes[order])[0] <= iou_threshold]
    return np.array(keep, dtype=np.int64)
