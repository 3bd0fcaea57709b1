"""Reference solution for the iou kata.

iou works on one pair of boxes with plain floats; iou_matrix is the same
arithmetic, in the same order, on (N, 1) and (1, M) columns that broadcast
to (N, M). Because the order matches, iou_matrix(a, b)[i, j] equals
iou(a[i], b[j]) exactly, not just to a tolerance.
"""

import numpy as np


def iou(box_a, box_b):
    """Intersection over union (IoU) of two axis-aligned boxes.

    Inputs:
    - box_a: One box (x1, y1, x2, y2), with x1 <= x2 and y1 <= y2: (x1, y1)
      is one corner and (x2, y2) the opposite one. A tuple, a list or a 1-D
      array of shape (4,), of ints or floats.
    - box_b: Another box, in the same form

    Returns:
    - iou: A float in [0, 1] (a Python float or a numpy float, not an
      array), area(a & b) / area(a | b), where
        area(a | b) = area(a) + area(b) - area(a & b)

    Conventions:
    - Continuous coordinates: a box's area is (x2 - x1) * (y2 - y1), with no
      +1 (the "pixel" convention of some old detection code is not used).
    - Boxes that do not overlap have intersection 0, never a negative or a
      made-up positive area, whether they are apart along x, along y or
      both.
    - Boxes that only touch (share an edge or a corner) give 0.0.
    - When the union is 0 (both boxes have zero area), the result is 0.0:
      no NaN, no warning, no exception.
    - Integer coordinates give the same result as the same values as
      floats: the division is true division, never //.
    - Do not modify box_a or box_b in place.

    What is graded: the result is a float; its value against the reference
    solution (two numbers agree when |a - b| <= 1e-6 * max(|a|, |b|) or
    |a - b| <= 1e-10 * s, s the largest magnitude among the box coordinates,
    at least 1); identical boxes give 1, disjoint boxes 0, touching boxes 0
    and a zero union 0 (no NaN, no warning); integer coordinates; tuple,
    list and array inputs; box_a and box_b not modified; the same inputs
    giving the same output. Speed is measured and shown beside the score,
    never scored.
    """
    ax1, ay1, ax2, ay2 = (float(v) for v in box_a)
    bx1, by1, bx2, by2 = (float(v) for v in box_b)
    # Clamp each side at 0 before multiplying: two negative overlaps (boxes
    # apart along x and y) would otherwise multiply to a positive area.
    inter = max(0.0, min(ax2, bx2) - max(ax1, bx1)) * max(0.0, min(ay2, by2) - max(ay1, by1))
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return inter / union if union > 0 else 0.0


def iou_matrix(boxes_a, boxes_b):
    """IoU of every box in one set with every box in another.

    Inputs:
    - boxes_a: Array of shape (N, 4), one box (x1, y1, x2, y2) per row, of
      ints or floats, as for iou
    - boxes_b: Array of shape (M, 4), likewise

    Returns:
    - ious: Float array of shape (N, M), with
        ious[i, j] = iou(boxes_a[i], boxes_b[j])

    Conventions:
    - The conventions of iou hold for every entry: continuous coordinates,
      touching boxes 0.0, zero union 0.0 with no NaN and no warning,
      integer coordinates divided as floats.
    - N or M may be 0 (an array of shape (0, 4)): the result is then an
      empty float array of shape (N, M), for example (0, M), not an error.
    - Do not modify boxes_a or boxes_b in place.

    What is graded: the shape of ious; its values against the reference
    solution (arrays agree when their shapes are equal and max|a - b|
    <= 1e-6 * max(max|a|, max|b|) or max|a - b| <= 1e-10 * s, s the largest
    magnitude among the box coordinates, at least 1); every entry agreeing
    with your own iou(boxes_a[i], boxes_b[j]); integer coordinates; empty
    box sets (N = 0 or M = 0); boxes_a and boxes_b not modified; the same
    inputs giving the same output. Speed is measured and shown beside the
    score, never scored.
    """
    a = np.asarray(boxes_a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(boxes_b, dtype=np.float64).reshape(-1, 4)
    ax1, ay1, ax2, ay2 = a.T[:, :, None]  # each (N, 1)
    bx1, by1, bx2, by2 = b.T[:, None, :]  # each (1, M)
    inter = (np.maximum(0.0, np.minimum(ax2, bx2) - np.maximum(ax1, bx1))
             * np.maximum(0.0, np.minimum(ay2, by2) - np.maximum(ay1, by1)))
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    # where= skips the 0/0 entries, which keep the 0.0 of out: no NaN, no warning.
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
