"""iou: intersection over union of boxes (x1, y1, x2, y2), one pair and all pairs, as the contract states."""
from __future__ import annotations

import numpy as np

from grader.checks.compare import compare_arrays, format_pair, input_scale, same_outputs
from grader.checks.session import Session
from grader.sandbox.process import LearnerError
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.results import Speed
from grader.checks.returns import describe_value, expect_array, real_scalar
from grader.checks.speed import measure_speed


def _boxes(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 4) float boxes with corners in [0, 8) and sides in [0.5, 4.5)."""
    corner = rng.uniform(0, 8, size=(n, 2))
    return np.hstack([corner, corner + rng.uniform(0.5, 4.5, size=(n, 2))])


def _pairs(session: Session) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random pairs, half of them overlapping (b is a nudged copy of a)."""
    rng = session.rng("pairs")
    a, b = _boxes(rng, 24), _boxes(rng, 24)
    b[::2] = a[::2] + rng.uniform(-1.5, 1.5, size=(12, 4))
    b[::2, 2:] = np.maximum(b[::2, 2:], b[::2, :2] + 0.1)
    return list(zip(a, b))


def _learner_iou(session: Session, box_a, box_b) -> float:
    """The learner's iou(box_a, box_b), checked to be a real number."""
    with session.about(f"boxes {_fmt(box_a)} and {_fmt(box_b)}"):
        value = session.call("iou", box_a, box_b).value
    if real_scalar(value) is None:
        raise CheckFailed(f"iou must return a float; for {_fmt(box_a)}, {_fmt(box_b)} it returned "
                          f"{describe_value(value)}")
    return real_scalar(value)


def _learner_matrix(session: Session, boxes_a, boxes_b) -> np.ndarray:
    with session.about(f"{len(boxes_a)} and {len(boxes_b)} boxes of dtype {np.asarray(boxes_a).dtype}"):
        value = session.call("iou_matrix", boxes_a, boxes_b).value
    expect_array(value, "iou_matrix's result")
    expected = (len(boxes_a), len(boxes_b))
    if value.shape != expected:
        raise CheckFailed(f"iou_matrix of {len(boxes_a)} and {len(boxes_b)} boxes returned shape {value.shape}, "
                          f"expected {expected} (N, M)")
    return value


def _expect_pairs(session: Session, pairs, expected: list[float] | None = None, rule: str = "") -> None:
    """The learner's iou on each pair must agree with `expected` (default: the reference)."""
    for i, (a, b) in enumerate(pairs):
        want = session.reference_call("iou", a, b) if expected is None else expected[i]
        got = _learner_iou(session, a, b)
        if compare_arrays("iou", np.array(want), np.array(got)):
            shown_want, shown_got = format_pair(want, got)
            raise CheckFailed(f"{rule}iou({_fmt(a)}, {_fmt(b)}) expected {shown_want}, got {shown_got}")


def _expect_matrix(session: Session, boxes_a, boxes_b, rule: str = "") -> None:
    got = _learner_matrix(session, boxes_a, boxes_b)
    mismatch = compare_arrays("ious", session.reference_call("iou_matrix", boxes_a, boxes_b), got)
    if mismatch:
        i, j = mismatch.index
        raise CheckFailed(f"{rule}{mismatch.describe()} (boxes_a[{i}] = {_fmt(boxes_a[i])}, "
                          f"boxes_b[{j}] = {_fmt(boxes_b[j])})")


def _fmt(box) -> str:
    return "(" + ", ".join(f"{float(v):.3g}" for v in box) + ")"


# -- the rows -----------------------------------------------------------------

def _returns_float(session: Session) -> None:
    for a, b in _pairs(session)[:3]:
        _learner_iou(session, a, b)


def _matrix_shape(session: Session) -> None:
    rng = session.rng("matrix shape")
    _learner_matrix(session, _boxes(rng, 5), _boxes(rng, 3))


def _iou_values(session: Session) -> None:
    _expect_pairs(session, _pairs(session))


def _matrix_values(session: Session) -> None:
    rng = session.rng("matrix values")
    a, b = _boxes(rng, 7), _boxes(rng, 5)
    b[:3] = a[:3] + rng.uniform(-1, 1, size=(3, 4))
    b[:3, 2:] = np.maximum(b[:3, 2:], b[:3, :2] + 0.1)
    _expect_matrix(session, a, b)


def _matrix_agrees_with_iou(session: Session) -> None:
    rng = session.rng("agree")
    a, b = _boxes(rng, 3), _boxes(rng, 4)
    b[:2] = a[:2] + 0.5
    matrix = _learner_matrix(session, a, b)
    for i in range(len(a)):
        for j in range(len(b)):
            single = _learner_iou(session, a[i], b[j])
            if compare_arrays("iou", np.array(single), np.array(matrix[i, j])):
                raise CheckFailed(f"iou_matrix[{i}, {j}] is {matrix[i, j]:.6g} but your "
                                  f"iou({_fmt(a[i])}, {_fmt(b[j])}) is {single:.6g}")


def _identical(session: Session) -> None:
    boxes = _boxes(session.rng("identical"), 4)
    _expect_pairs(session, [(box, box.copy()) for box in boxes], [1.0] * 4, "a box with itself: ")
    diagonal = np.diagonal(_learner_matrix(session, boxes, boxes.copy())).copy()  # the rest: other rows
    mismatch = compare_arrays("diagonal of ious", np.ones(len(boxes)), diagonal, input_scale(boxes))
    if mismatch:
        raise CheckFailed(f"a box with itself, iou_matrix(boxes, boxes): {mismatch.describe()}")


_DISJOINT = [((0, 0, 1, 1), (2, 0, 3, 1)),        # apart along x only
             ((0, 0, 1, 1), (0, 2, 1, 3)),        # apart along y only
             ((0, 0, 1, 1), (2, 2, 3, 3)),        # apart along both: two negative overlaps
             ((5, 5, 7, 8), (0.5, 0.5, 2, 2))]
_TOUCHING = [((0, 0, 1, 1), (1, 0, 2, 1)),        # sharing an edge along x
             ((0, 0, 2, 1), (0.5, 1, 1.5, 3)),    # sharing an edge along y
             ((0, 0, 1, 1), (1, 1, 2, 2))]        # sharing a corner
_ZERO_UNION = [((1, 1, 1, 1), (1, 1, 1, 1)),      # two identical points
               ((0, 0, 2, 0), (0, 0, 2, 0)),      # two identical segments
               ((3, 3, 3, 3), (0, 0, 0, 0))]


def _as_float_pairs(pairs) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)) for a, b in pairs]


def _disjoint(session: Session) -> None:
    pairs = _as_float_pairs(_DISJOINT)
    _expect_pairs(session, pairs, [0.0] * len(pairs), "disjoint boxes must give 0: ")
    _expect_matrix(session, np.array([a for a, _ in pairs]), np.array([b for _, b in pairs]),
                   "disjoint boxes must give 0: ")


def _touching(session: Session) -> None:
    pairs = _as_float_pairs(_TOUCHING)
    _expect_pairs(session, pairs, [0.0] * len(pairs), "boxes that only touch have no overlap area: ")
    _expect_matrix(session, np.array([a for a, _ in pairs]), np.array([b for _, b in pairs]),
                   "boxes that only touch have no overlap area: ")


def _zero_union(session: Session) -> None:
    pairs = _as_float_pairs(_ZERO_UNION)
    _expect_pairs(session, pairs, [0.0] * len(pairs), "a zero union must give 0.0 (not NaN): ")
    _expect_matrix(session, np.array([a for a, _ in pairs]), np.array([b for _, b in pairs]),
                   "a zero union must give 0.0 (not NaN): ")


_INTEGER_PAIRS = [((0, 0, 2, 2), (1, 1, 3, 3)), ((0, 0, 3, 3), (1, 1, 2, 2)), ((0, 0, 4, 2), (2, 0, 6, 3))]


def _integer_boxes() -> tuple[np.ndarray, np.ndarray]:
    return (np.array([p[0] for p in _INTEGER_PAIRS], dtype=np.int64),
            np.array([p[1] for p in _INTEGER_PAIRS], dtype=np.int64))


def _integers(session: Session) -> None:
    _expect_pairs(session, _INTEGER_PAIRS, rule="integer boxes (the IoU is still a float): ")
    _expect_matrix(session, *_integer_boxes(), "integer boxes (the IoU is still a float): ")


def _input_kinds(session: Session) -> None:
    a, b = (0.5, 1.0, 3.5, 4.0), (1.5, 0.0, 4.0, 3.0)
    kinds = [(a, b), (list(a), list(b)), (np.array(a), np.array(b)), (tuple(a), np.array(b))]
    _expect_pairs(session, kinds, rule="the same boxes as tuple, list or array: ")
    _expect_pairs(session, [((0, 0, 2, 2), [1, 1, 3, 3]), (np.array([0, 0, 2, 2]), np.array([1, 1, 3, 3]))],
                  rule="the same boxes as tuple, list or array: ")


def _empty(session: Session) -> None:
    boxes = _boxes(session.rng("empty"), 3)
    for a, b in ((np.zeros((0, 4)), boxes), (boxes, np.zeros((0, 4))), (np.zeros((0, 4)), np.zeros((0, 4)))):
        _learner_matrix(session, a, b)


def _not_modified(session: Session) -> None:
    """No call of any row changed the boxes it was given (two more calls, in case no row made them)."""
    rng = session.rng("modified")
    a, b = _boxes(rng, 4), _boxes(rng, 3)
    session.call("iou_matrix", a, b)
    session.call("iou", a[0], b[0])
    session.check_inputs_unmodified()


def _deterministic(session: Session) -> None:
    rng = session.rng("deterministic")
    a, b = _boxes(rng, 4), _boxes(rng, 3)
    first, second = _learner_matrix(session, a, b), _learner_matrix(session, a, b)
    if not same_outputs(first, second):
        raise CheckFailed("iou_matrix gave different results for the same boxes")


# -- known mistakes: the learner's iou against a buggy one computed here ----------

def _mistake_pairs(session: Session) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random pairs, disjoint and touching ones, and boxes with themselves."""
    pairs = _pairs(session)
    return pairs + _as_float_pairs(_DISJOINT + _TOUCHING) + [(a, a.copy()) for a, _ in pairs[:3]]


def _iou_with(inter, area=lambda x1, y1, x2, y2: (x2 - x1) * (y2 - y1), subtract=True, ratio=np.true_divide):
    """An iou built from the parts a mistake changes: the intersection, the area, the union, the division."""
    def iou(box_a, box_b) -> float:
        a, b = [float(v) for v in box_a], [float(v) for v in box_b]
        overlap = inter(a, b)
        union = area(*a) + area(*b) - (overlap if subtract else 0.0)
        return float(ratio(overlap, union)) if union != 0 else 0.0
    return iou


def _clamped(a, b, plus=0.0):
    return (max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + plus)
            * max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + plus))


def _iou_mistake(name: str, explanation: str, buggy) -> KnownMistake:
    """The learner's iou equals `buggy` on every pair, and `buggy` differs from the reference on one."""
    def detect(session: Session) -> bool:
        telling = False
        for a, b in _mistake_pairs(session):
            mistaken = np.array(buggy(a, b))
            got = session.memo(("iou", a.tobytes(), b.tobytes()), lambda: _learner_iou(session, a, b))
            if not same_outputs(mistaken, np.array(got)):
                return False
            telling = telling or not same_outputs(mistaken, np.array(session.reference_call("iou", a, b)))
        return telling
    return KnownMistake(name, explanation, detect)


def _zero_union_nan(session: Session) -> bool:
    return all(np.isnan(_learner_iou(session, a, b)) for a, b in _as_float_pairs(_ZERO_UNION))


def _signed_overlap(a, b) -> float:
    return (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))


_IOU_UNCLAMPED = KnownMistake(
    "overlap not clamped at 0",
    "Your IoU matches an overlap whose width and height are not clamped (or whose product is taken "
    "with abs): for boxes apart they are negative, so take max(0, min(x2) - max(x1)) and likewise for y "
    "before multiplying.",
    lambda session: any(mistake.detect(session) for mistake in (
        _iou_mistake("", "", _iou_with(_signed_overlap)),
        _iou_mistake("", "", _iou_with(lambda a, b: abs(_signed_overlap(a, b)))))))


def _eps_in_union(session: Session) -> bool:
    """iou = inter / (union + e) for one small e > 0, the same for every overlapping pair."""
    fudges = []
    for a, b in _pairs(session):
        right = session.reference_call("iou", a, b)
        got = session.memo(("iou", a.tobytes(), b.tobytes()), lambda: _learner_iou(session, a, b))
        if right > 0:
            inter = _clamped([float(v) for v in a], [float(v) for v in b])
            if got <= 0:
                return False
            union = inter / right
            fudges.append(inter / got - union)
    if not fudges or min(fudges) <= 0:
        return False
    return max(fudges) - min(fudges) <= 1e-3 * max(fudges) + 1e-12 and max(fudges) < 1e-2


def _negative(session: Session) -> bool:
    """Some IoU of the learner's is below 0: an overlap's width or height taken negative."""
    values = [session.memo(("iou", a.tobytes(), b.tobytes()), lambda: _learner_iou(session, a, b))
              for a, b in _mistake_pairs(session)]
    return min(values) < 0


def _truncated(session: Session) -> bool:
    """On integer boxes, the learner's IoU (one pair, or iou_matrix) is the right one truncated to an
    integer, and that differs from the right one: an int(), or an integer array for the results."""
    a, b = _integer_boxes()
    right = session.reference_call("iou_matrix", a, b)
    try:
        matrix = session.memo(("integer matrix",), lambda: _learner_matrix(session, a, b))
    except (CheckFailed, LearnerError):
        matrix = None
    singles = [session.memo(("iou", repr(pair)), lambda pair=pair: _learner_iou(session, *pair)) for pair in _INTEGER_PAIRS]
    truncated = np.trunc(right)
    floats_right = all(same_outputs(np.array(session.reference_call("iou", x, y)), np.array(_learner_iou(session, x, y)))
                       for x, y in _pairs(session)[:6])  # integer division would give 0 there too
    return floats_right and ((matrix is not None and same_outputs(truncated, matrix) and not same_outputs(right, matrix))
                             or same_outputs(np.diag(truncated), np.array(singles)))


MISTAKES = (
    _iou_mistake("+1 pixel convention",
                 "Your IoU matches areas and overlaps with the +1 of integer-pixel boxes: coordinates here are "
                 "continuous, so a box's area is (x2 - x1)*(y2 - y1) and an overlap's width min(x2) - max(x1).",
                 _iou_with(lambda a, b: _clamped(a, b, plus=1.0),
                           area=lambda x1, y1, x2, y2: (x2 - x1 + 1) * (y2 - y1 + 1))),
    _IOU_UNCLAMPED,
    KnownMistake("eps added to the union",
                 "Your IoU divides by union + eps, a small constant: it biases every IoU, most for small boxes. "
                 "Divide by the union itself and return 0.0 only when the union is 0.", _eps_in_union),
    KnownMistake("negative IoU",
                 "Some of your IoUs are negative, which an IoU never is: for boxes apart along x or y the "
                 "overlap's width or height is negative, so clamp each at 0 before multiplying, "
                 "max(0, min(x2) - max(x1)) * max(0, min(y2) - max(y1)).", _negative, fallback=True),
    KnownMistake("IoU truncated to an integer",
                 "On integer boxes your IoU is the right one truncated to an integer (0 for every partial "
                 "overlap): an int() or an integer results array (np.zeros(..., dtype=boxes.dtype)); make "
                 "the results float.", _truncated),
    _iou_mistake("union counts the intersection twice",
                 "Your IoU is inter / (area_a + area_b), which counts the overlap twice: the union is "
                 "area_a + area_b - inter.", _iou_with(_clamped, subtract=False)),
    _iou_mistake("intersection from the enclosing box",
                 "Your intersection runs from the smaller x1 to the larger x2, the box enclosing both: the "
                 "overlap runs from max(x1) to min(x2), likewise for y.",
                 _iou_with(lambda a, b: (max(0.0, max(a[2], b[2]) - min(a[0], b[0]))
                                         * max(0.0, max(a[3], b[3]) - min(a[1], b[1]))))),
    _iou_mistake("integer division",
                 "Your IoU is 0 for every partial overlap, as inter // union gives: divide with /, which "
                 "gives a float even for integer coordinates.", _iou_with(_clamped, ratio=np.floor_divide)),
    KnownMistake("zero union gives NaN",
                 "Your IoU is NaN for two boxes of zero area, 0/0: return 0.0 when the union is 0.",
                 _zero_union_nan),
)


def _speed(session: Session) -> Speed:
    rng = session.rng("speed")
    a, b = _boxes(rng, 300), _boxes(rng, 200)
    return measure_speed(session, "iou_matrix of 300 and 200 boxes",
                         lambda: session.reference.iou_matrix(a, b),
                         lambda: session.call("iou_matrix", a, b, send=(), watch_inputs=False).seconds)


#: The shape rows: until they pass, the rows that compare values would only repeat them.
_SHAPES = ("iou returns a float", "iou_matrix shape")

KATA = Kata(
    name="iou",
    title="intersection over union of boxes, one pair and all pairs",
    functions=("iou", "iou_matrix"),
    checks=(
        Check("iou returns a float", "shape", _returns_float),
        Check("iou_matrix shape", "shape", _matrix_shape),
        Check("iou values", "value", _iou_values, needs=("iou returns a float",)),
        Check("iou_matrix values", "value", _matrix_values, needs=("iou_matrix shape",)),
        Check("iou_matrix agrees with iou", "value", _matrix_agrees_with_iou, needs=_SHAPES),
        Check("identical boxes give 1", "edge", _identical, needs=_SHAPES),
        Check("disjoint boxes give 0", "edge", _disjoint, needs=_SHAPES),
        Check("touching boxes give 0", "edge", _touching, needs=_SHAPES),
        Check("zero union gives 0", "edge", _zero_union, needs=_SHAPES),
        Check("integer coordinates", "edge", _integers, needs=_SHAPES),
        Check("tuple, list and array inputs", "edge", _input_kinds, needs=("iou returns a float",)),
        Check("empty box sets", "edge", _empty, needs=("iou_matrix shape",)),
        Check("inputs not modified", "behaviour", _not_modified, runs_last=True),
        Check("deterministic", "behaviour", _deterministic, needs=("iou_matrix shape",)),
    ),
    speed=_speed,
    hints=(
        "The intersection of two boxes is a box too, possibly empty. Draw two boxes that overlap, two that "
        "are apart and two that only touch, and check your formula on each.",
        "Take the intersection's corners as the larger of the two x1 and y1 and the smaller of the two x2 "
        "and y2, clamp its width and height at 0, and divide by the union, guarding a zero union. For "
        "iou_matrix, give boxes_a shape (N, 1) and boxes_b shape (1, M) so the same arithmetic broadcasts.",
        "inter = max(0, min(ax2, bx2) - max(ax1, bx1)) * max(0, min(ay2, by2) - max(ay1, by1)); "
        "iou = inter / (area_a + area_b - inter), or 0.0 when that union is 0.",
    ),
    mistakes=MISTAKES,
)
