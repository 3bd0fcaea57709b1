"""iou: intersection over union of boxes (x1, y1, x2, y2), one pair and all pairs, as the contract states."""
import numpy as np

from grader.authoring.functions import Edge, Function, Inputs, Value, answered, arguments, function_checks, \
    function_mistake, function_speed, values
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake, either_mistake
from grader.checks.compare import compare_arrays


def _boxes(rng: np.random.Generator, n: int) -> np.ndarray:
    """(n, 4) float boxes with corners in [0, 8) and sides in [0.5, 4.5)."""
    corner = rng.uniform(0, 8, size=(n, 2))
    return np.hstack([corner, corner + rng.uniform(0.5, 4.5, size=(n, 2))])


def _nudged(rng: np.random.Generator, a: np.ndarray, by: float) -> np.ndarray:
    """Copies of boxes `a` with every coordinate moved by up to `by`, still of positive size: overlapping a."""
    b = a + rng.uniform(-by, by, size=a.shape)
    b[..., 2:] = np.maximum(b[..., 2:], b[..., :2] + 0.1)
    return b


def _pair(index: int) -> Inputs:
    """A random pair; every other one overlaps (b is a nudged copy of a); the last four are a tenth the size,
    where a small fudge in the union (an eps) is a large part of it."""
    size = 0.1 if index >= 20 else 1.0

    def draw(rng):
        a = size * _boxes(rng, 1)[0]
        return {"box_a": a, "box_b": _nudged(rng, a, 1.5 * size) if index % 2 == 0 else size * _boxes(rng, 1)[0]}
    return Inputs(f"random pair {index + 1}", draw)


def _matrix_values(rng) -> dict:
    a, b = _boxes(rng, 7), _boxes(rng, 5)
    b[:3] = _nudged(rng, a[:3], 1.0)
    return {"boxes_a": a, "boxes_b": b}


def _fmt(box) -> str:
    return "(" + ", ".join(f"{float(v):.3g}" for v in box) + ")"


def _hint(name: str, expected, got, arguments: dict) -> str:
    """The boxes of the (worst) wrong IoU."""
    a, b = arguments.values()
    if name == "iou":
        return f" (boxes {_fmt(a)} and {_fmt(b)})"
    with np.errstate(invalid="ignore"):
        i, j = np.unravel_index(np.nanargmax(np.where(np.isnan(got), np.inf, np.abs(got - expected))), got.shape)
    return f" (boxes_a[{i}] = {_fmt(a[i])}, boxes_b[{j}] = {_fmt(b[j])})"


# iou_matrix's determinism vouches for the pairwise arithmetic; iou is left out of that row.
IOU = Function("iou", (Value("iou", shape_row="iou returns a float"),), tuple(_pair(i) for i in range(24)), hint=_hint,
               deterministic=False)
MATRIX = Function("iou_matrix", (Value("iou_matrix", lambda args: (len(args["boxes_a"]), len(args["boxes_b"]))),),
                  (Inputs("7 and 5 boxes", _matrix_values),
                   Inputs("5 and 3 boxes", lambda rng: {"boxes_a": _boxes(rng, 5), "boxes_b": _boxes(rng, 3)})),
                  hint=_hint)


def _fixed(label: str, pairs, dtype=np.float64) -> tuple[tuple[str, Inputs], ...]:
    """iou on each pair, then iou_matrix of them all."""
    calls = [("iou", Inputs(f"{label} {_fmt(a)} and {_fmt(b)}", {"box_a": np.array(a, dtype), "box_b": np.array(b, dtype)}))
             for a, b in pairs]
    both = {"boxes_a": np.array([a for a, _ in pairs], dtype), "boxes_b": np.array([b for _, b in pairs], dtype)}
    return tuple(calls) + (("iou_matrix", Inputs(f"{label}, iou_matrix", both)),)


DISJOINT = _fixed("disjoint boxes", [((0, 0, 1, 1), (2, 0, 3, 1)),        # apart along x only
                                     ((0, 0, 1, 1), (0, 2, 1, 3)),        # apart along y only
                                     ((0, 0, 1, 1), (2, 2, 3, 3)),        # apart along both: two negative overlaps
                                     ((5, 5, 7, 8), (0.5, 0.5, 2, 2))])
TOUCHING = _fixed("boxes touching", [((0, 0, 1, 1), (1, 0, 2, 1)),        # sharing an edge along x
                                     ((0, 0, 2, 1), (0.5, 1, 1.5, 3)),    # sharing an edge along y
                                     ((0, 0, 1, 1), (1, 1, 2, 2))])       # sharing a corner
ZERO_UNION = _fixed("zero union", [((1, 1, 1, 1), (1, 1, 1, 1)),           # two identical points
                                   ((0, 0, 2, 0), (0, 0, 2, 0)),           # two identical segments
                                   ((3, 3, 3, 3), (0, 0, 0, 0))])
INTEGERS = _fixed("integer boxes", [((0, 0, 2, 2), (1, 1, 3, 3)), ((0, 0, 3, 3), (1, 1, 2, 2)),
                                    ((0, 0, 4, 2), (2, 0, 6, 3))], np.int64)
_KIND = ((0.5, 1.0, 3.5, 4.0), (1.5, 0.0, 4.0, 3.0))
KINDS = tuple(("iou", Inputs(f"boxes as {what}", {"box_a": a, "box_b": b})) for what, a, b in (
    ("tuples", *_KIND), ("lists", list(_KIND[0]), list(_KIND[1])), ("arrays", np.array(_KIND[0]), np.array(_KIND[1])),
    ("a tuple and an array", _KIND[0], np.array(_KIND[1])), ("integer tuple and list", (0, 0, 2, 2), [1, 1, 3, 3])))


def _twice(names: tuple[str, str], n: int):
    """Boxes and a copy of them."""
    def draw(rng):
        boxes = _boxes(rng, n)[0] if names[0] == "box_a" else _boxes(rng, n)
        return {names[0]: boxes, names[1]: boxes.copy()}
    return draw


IDENTICAL = tuple(("iou", Inputs(f"box {k + 1} with itself", _twice(("box_a", "box_b"), 1))) for k in range(4))
EMPTY = tuple(("iou_matrix", Inputs(label, lambda rng, n=n, m=m: {"boxes_a": _boxes(rng, n), "boxes_b": _boxes(rng, m)}))
              for label, n, m in (("0 and 3 boxes", 0, 3), ("3 and 0 boxes", 3, 0), ("0 and 0 boxes", 0, 0)))


def _diagonal(session) -> None:
    """iou_matrix(boxes, boxes) has ones on its diagonal (the rest: other rows)."""
    inputs = Inputs("4 boxes with themselves", _twice(("boxes_a", "boxes_b"), 4))
    diagonal = np.diagonal(values(session, MATRIX, inputs)["iou_matrix"]).copy()
    mismatch = compare_arrays("diagonal of ious", np.ones(len(diagonal)), diagonal)
    if mismatch:
        raise CheckFailed(f"a box with itself, iou_matrix(boxes, boxes): {mismatch.describe()}")


def _agrees_with_iou(session) -> None:
    args = arguments(session, MATRIX.cases[0])
    matrix = values(session, MATRIX, MATRIX.cases[0])["iou_matrix"]
    for i, a in enumerate(args["boxes_a"][:3]):
        for j, b in enumerate(args["boxes_b"][:4]):
            single = values(session, IOU, Inputs(f"boxes_a[{i}] and boxes_b[{j}]", {"box_a": a, "box_b": b}))["iou"]
            if compare_arrays("iou", np.array(single), np.array(matrix[i, j])):
                raise CheckFailed(f"iou_matrix[{i}, {j}] is {matrix[i, j]:.6g} but your iou({_fmt(a)}, {_fmt(b)}) is "
                                  f"{single:.6g}")


EDGES = (
    Edge("identical boxes give 1", IDENTICAL, expect={"iou": 1.0}, why="a box with itself: ", first=_diagonal,
         needs=("iou_matrix shape",)),
    # iou_matrix of the stacked pairs: its off-diagonal pairs are the reference's business.
    Edge("disjoint boxes give 0", DISJOINT, expect={"iou": 0.0}, why="disjoint boxes must give 0: "),
    Edge("touching boxes give 0", TOUCHING, expect={"iou": 0.0}, why="boxes that only touch have no overlap area: "),
    Edge("zero union gives 0", ZERO_UNION, expect={"iou": 0.0}, why="a zero union must give 0.0 (not NaN): "),
    Edge("integer coordinates", INTEGERS, why="integer boxes (the IoU is still a float): "),
    Edge("tuple, list and array inputs", KINDS, why="the same boxes as tuple, list or array: "),
    Edge("empty box sets", EMPTY),
)


# -- known mistakes: the learner's iou against a buggy one computed here ----------

def _iou_with(inter, area=lambda x1, y1, x2, y2: (x2 - x1) * (y2 - y1), subtract=True, ratio=np.true_divide):
    """A buggy iou(reference, box_a, box_b) from the parts a mistake changes: intersection, area, union, division."""
    def iou(reference, box_a, box_b) -> float:
        a, b = [float(v) for v in box_a], [float(v) for v in box_b]
        overlap = inter(a, b)
        union = area(*a) + area(*b) - (overlap if subtract else 0.0)
        return float(ratio(overlap, union)) if union != 0 else 0.0
    return iou


def _clamped(a, b, plus=0.0):
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + plus) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + plus)


def _signed(a, b) -> float:  # the overlap's area, negative (or of either sign) for boxes apart
    return (min(a[2], b[2]) - max(a[0], b[0])) * (min(a[3], b[3]) - max(a[1], b[1]))


_MISTAKE_CASES = tuple(inputs for name, inputs in DISJOINT + TOUCHING + IDENTICAL[:3] if name == "iou")


def _iou_mistake(name: str, explanation: str, buggy) -> KnownMistake:
    return function_mistake(IOU, name, explanation, buggy, _MISTAKE_CASES)


def _eps_in_union(session) -> bool:
    """iou = inter / (union + e) for one small e > 0, the same for every overlapping pair."""
    fudges = []
    for got, right, args in answered(session, IOU, IOU.cases, "iou"):
        if right > 0 and got > 0:
            inter = _clamped(*([float(v) for v in box] for box in args.values()))
            fudges.append(inter / got - inter / right)  # (union + e) - union
    return bool(fudges) and 0 < min(fudges) and max(fudges) < 1e-2 and max(fudges) - min(fudges) <= 1e-3 * max(fudges)


def _truncated_on_integers(function: str):
    """The reference's answer, truncated to integers where the boxes are integers (an int(), or an integer
    results array), right for float boxes."""
    def buggy(reference, a, b):
        right = getattr(reference, function)(a, b)
        return np.trunc(right) if np.asarray(a).dtype.kind in "iu" else right
    return buggy


MISTAKES = (
    _iou_mistake("+1 pixel convention",
                 "Your IoU matches areas and overlaps with the +1 of integer-pixel boxes: coordinates here are "
                 "continuous, so a box's area is (x2 - x1)*(y2 - y1) and an overlap's width min(x2) - max(x1).",
                 _iou_with(lambda a, b: _clamped(a, b, plus=1.0), area=lambda x1, y1, x2, y2: (x2 - x1 + 1) * (y2 - y1 + 1))),
    either_mistake("overlap not clamped at 0",
                   "Your IoU matches an overlap whose width and height are not clamped (or whose product is taken "
                   "with abs): for boxes apart they are negative, so take max(0, min(x2) - max(x1)) and likewise for "
                   "y before multiplying.", _iou_mistake("", "", _iou_with(_signed)),
                   _iou_mistake("", "", _iou_with(lambda a, b: abs(_signed(a, b))))),
    KnownMistake("eps added to the union",
                 "Your IoU divides by union + eps, a small constant: it biases every IoU, most for small boxes. "
                 "Divide by the union itself and return 0.0 only when the union is 0.", _eps_in_union),
    KnownMistake("negative IoU",
                 "Some of your IoUs are negative, which an IoU never is: for boxes apart along x or y the "
                 "overlap's width or height is negative, so clamp each at 0 before multiplying, "
                 "max(0, min(x2) - max(x1)) * max(0, min(y2) - max(y1)).",
                 lambda session: any(got < 0 for got, _, _ in answered(session, IOU, IOU.cases + _MISTAKE_CASES, "iou")),
                 fallback=True),
    either_mistake("IoU truncated to an integer",
                   "On integer boxes your IoU is the right one truncated to an integer (0 for every partial "
                   "overlap): an int() or an integer results array (np.zeros(..., dtype=boxes.dtype)); make "
                   "the results float.",
                   function_mistake(MATRIX, "", "", _truncated_on_integers("iou_matrix"), (INTEGERS[-1][1],)),
                   function_mistake(IOU, "", "", _truncated_on_integers("iou"),
                                    tuple(inputs for name, inputs in INTEGERS if name == "iou"))),
    _iou_mistake("union counts the intersection twice",
                 "Your IoU is inter / (area_a + area_b), which counts the overlap twice: the union is "
                 "area_a + area_b - inter.", _iou_with(_clamped, subtract=False)),
    _iou_mistake("intersection from the enclosing box",
                 "Your intersection runs from the smaller x1 to the larger x2, the box enclosing both: the "
                 "overlap runs from max(x1) to min(x2), likewise for y.",
                 _iou_with(lambda a, b: max(0.0, max(a[2], b[2]) - min(a[0], b[0])) * max(0.0, max(a[3], b[3]) - min(a[1], b[1])))),
    _iou_mistake("integer division",
                 "Your IoU is 0 for every partial overlap, as inter // union gives: divide with /, which "
                 "gives a float even for integer coordinates.", _iou_with(_clamped, ratio=np.floor_divide)),
    KnownMistake("zero union gives NaN",
                 "Your IoU is NaN for two boxes of zero area, 0/0: return 0.0 when the union is 0.",
                 lambda session: all(np.isnan(values(session, IOU, inputs)["iou"])
                                     for name, inputs in ZERO_UNION if name == "iou")),
)

KATA = Kata(
    name="iou",
    title="intersection over union of boxes, one pair and all pairs",
    functions=("iou", "iou_matrix"),
    checks=function_checks((IOU, MATRIX), EDGES, extra=(
        Check("iou_matrix agrees with iou", "value", _agrees_with_iou,
              needs=("iou returns a float", "iou_matrix shape")),)),
    speed=function_speed("iou_matrix of 300 and 200 boxes", ("iou_matrix", Inputs(
        "speed", lambda rng: {"boxes_a": _boxes(rng, 300), "boxes_b": _boxes(rng, 200)}))),
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
