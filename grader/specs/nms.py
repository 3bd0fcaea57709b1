"""nms: greedy non-maximum suppression (torchvision.ops.nms's rule), built on the learner's iou kata.

A kata built on another: `depends_on=("iou",)`, as a capstone's parts are declared, so the learner's iou (which
katas/nms.py imports, `from katas.iou import iou_matrix`) is graded first. keep is an "ints" value: judged exactly,
its length the data's (a wrong count fails the values and edge rows, not the shape row); the known mistakes are
buggy copies of the stated rule (_greedy below, a brute force of it); the edges pin the rule's every choice.
"""
import operator

import numpy as np

from grader.authoring.functions import Edge, Function, Inputs, Value, arguments, function_checks, \
    function_mistake, function_speed, returned
from grader.authoring.kata import Kata, KnownMistake
from grader.checks.returns import tried


def _iou(a, b) -> float:
    """The iou kata's IoU of two boxes (continuous coordinates, touching 0, zero union 0)."""
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _pixel_iou(a, b) -> float:
    """IoU with the +1 pixel convention of old detection code (inclusive integer corners): a known mistake."""
    return _iou(np.asarray(a, dtype=np.float64) + [0, 0, 1, 1], np.asarray(b, dtype=np.float64) + [0, 0, 1, 1])


def _greedy(boxes, scores, iou_threshold, order=None, drops=operator.gt, chained=True, iou=_iou) -> np.ndarray:
    """The stated rule, pair by pair: boxes taken in `order` (default: scores descending, ties lower index
    first), each dropped when `drops`(its IoU with an earlier box, threshold) for a kept earlier box (for any
    earlier box, kept or not, when not `chained`). The known mistakes are its other arguments."""
    boxes, scores = np.asarray(boxes, dtype=np.float64), np.asarray(scores, dtype=np.float64)
    order = np.argsort(-scores, kind="stable") if order is None else order(scores)
    keep = []
    for rank, i in enumerate(order):
        earlier = keep if chained else order[:rank]
        if not any(drops(iou(boxes[j], boxes[i]), iou_threshold) for j in earlier):
            keep.append(int(i))
    return np.array(keep, dtype=np.int64)


def _clustered(clusters: int, per: int, threshold: float):
    """Boxes jittered around `clusters` centres (heavy overlaps within, some across), distinct random scores."""
    def draw(rng):
        centres = rng.uniform(0, 12, size=(clusters, 2)).repeat(per, axis=0) + rng.normal(0, 0.3, (clusters * per, 2))
        halves = rng.uniform(1.0, 1.6, size=(clusters * per, 2))
        boxes = np.hstack([centres - halves, centres + halves])
        return {"boxes": boxes, "scores": rng.uniform(0, 1, clusters * per), "iou_threshold": threshold}
    return draw


def _fixed(label: str, boxes, scores, threshold: float, dtype=np.float64) -> tuple[str, Inputs]:
    return "nms", Inputs(label, {"boxes": np.array(boxes, dtype=dtype),
                                 "scores": np.array(scores, dtype=np.float64), "iou_threshold": threshold})


NMS = Function("nms", (Value("keep", kind="ints", listed=True, shape_row="keep is 1-D integers (an array or a list)",
                             why=": keep holds the kept boxes' indices (not a mask, not the boxes; np.array(keep, "
                                 "dtype=np.int64) is one even when keep is empty)"),), (
    Inputs("12 boxes in 3 clusters, threshold 0.5", _clustered(3, 4, 0.5)),
    Inputs("15 boxes in 5 clusters, threshold 0.3", _clustered(5, 3, 0.3)),
    Inputs("16 boxes in 2 clusters, threshold 0.7", _clustered(2, 8, 0.7)),
))

# IoU((0, 0, 2, 2), (0, 0, 2, 1)) = 2 / 4 = 0.5 exactly, in any order of the arithmetic.
AT_THRESHOLD = (_fixed("IoU 0.5 exactly, threshold 0.5", [[0, 0, 2, 2], [0, 0, 2, 1], [5, 5, 7, 7], [5, 5, 6, 7]],
                       [0.9, 0.8, 0.7, 0.6], 0.5),)
TIES = (_fixed("scores tied, boxes 0 and 1 overlapping", [[0, 0, 4, 4], [0, 0, 4, 3.8], [10, 10, 12, 12],
                                                          [20, 20, 22, 22]], [0.5, 0.5, 0.5, 0.9], 0.5),
        _fixed("all scores equal", [[0, 0, 2, 2], [5, 5, 7, 7], [0.1, 0, 2.1, 2], [5, 5.2, 7, 7.2], [9, 0, 11, 2]],
               [0.3] * 5, 0.5))
# A drops B (IoU 0.6), B would drop C (0.6), A does not (1/3): C is kept.
CHAIN = (_fixed("A drops B, B would drop C", [[0, 0, 4, 2], [1, 0, 5, 2], [2, 0, 6, 2]], [0.9, 0.8, 0.7], 0.5),)
ZERO = (_fixed("threshold 0, overlapping and touching boxes", [[0, 0, 2, 2], [1, 1, 3, 3], [2, 0, 4, 2]],
               [0.9, 0.8, 0.7], 0.0),)
ONE = (_fixed("threshold 1, identical boxes", [[0, 0, 2, 2], [0, 0, 2, 2], [1, 0, 3, 2], [6, 6, 8, 9]],
              [0.2, 0.9, 0.5, 0.7], 1.0),)
WRONG = (_fixed("boxes of shape (3, 3)", np.zeros((3, 3)) + [0, 0, 1], [0.1, 0.2, 0.3], 0.5),
         ("nms", Inputs("5 boxes, 4 scores", {"boxes": np.array([[0, 0, 1, 1.0]] * 5), "scores": np.ones(4),
                                              "iou_threshold": 0.5})))
EDGES = (
    Edge("IoU equal to the threshold is kept", AT_THRESHOLD,
         why="only an IoU strictly greater than the threshold drops a box (>, not >=): "),
    Edge("tied scores: lower index first", TIES,
         why="equal scores are taken lower index first (a stable sort), which also decides which survives: "),
    Edge("dropped boxes suppress nothing", CHAIN, why="only kept boxes drop others: "),
    Edge("threshold 0: touching boxes kept", ZERO, why="any overlap drops a box, but touching boxes have IoU 0: "),
    Edge("threshold 1: nothing dropped", ONE, why="no IoU is greater than 1, not even a box's copy: "),
    Edge("no boxes", (_fixed("no boxes", np.zeros((0, 4)), np.zeros(0), 0.5),), why="no boxes give an empty integer array of shape (0,): "),
    Edge("one box", (_fixed("one box", [[1, 2, 3, 5]], [0.4], 0.5),)),
    Edge("integer coordinates", (_fixed("integer boxes", [[0, 0, 4, 4], [1, 1, 5, 5], [0, 0, 4, 3], [6, 0, 9, 3]],
                                        [0.6, 0.9, 0.8, 0.1], 0.4, dtype=np.int64),)),
    Edge("wrong shapes raise ValueError", WRONG, raises="ValueError",
         if_returned=lambda args: "boxes must be (N, 4) and scores (N,)"),
)


def _mask_or_boxes(session) -> bool:
    """On every case, the learner returned the kept boxes' mask (N,) or the boxes themselves (K, 4)."""
    forms = []
    for inputs in NMS.cases + tuple(inputs for _, inputs in TIES):
        got = tried(lambda: returned(session, "nms", inputs).value)
        args = arguments(session, inputs)
        keep = _greedy(**args)
        mask = np.zeros(len(args["boxes"]), dtype=bool)
        mask[keep] = True
        if not isinstance(got, np.ndarray):
            return False
        forms.append("mask" if got.shape == mask.shape and np.array_equal(got, mask) else
                     "boxes" if got.shape == (len(keep), 4) and np.allclose(got, args["boxes"][keep]) else None)
    return len(set(forms)) == 1 and forms[0] is not None


#: Where the known mistakes are judged: the cases and the edges of the rule's choices.
JUDGED = tuple(inputs for _, inputs in AT_THRESHOLD + TIES + CHAIN + ZERO + ONE)


def _mistake(name: str, explanation: str, buggy=None, **rule) -> KnownMistake:
    """The learner's keep equals the buggy rule's (by default _greedy with `rule`) wherever it answers."""
    return function_mistake(NMS, name, explanation, lambda reference, *args: (buggy or _greedy)(*args, **rule),
                            JUDGED)


MISTAKES = (
    _mistake(">= instead of >",
             "Your nms drops a box whose IoU equals the threshold: only an IoU strictly greater drops it "
             "(iou > iou_threshold, as torchvision), so keep the boxes with iou <= iou_threshold.", drops=operator.ge),
    _mistake("scores sorted ascending",
             "Your nms takes the lowest score first: np.argsort sorts ascending, so take the highest first, "
             "np.argsort(-scores, kind='stable').", order=lambda scores: np.argsort(scores, kind="stable")),
    _mistake("ties: higher index first",
             "Among equal scores your nms takes the higher index first, as np.argsort(scores)[::-1] does (the "
             "reversal reverses the ties too): sort -scores with a stable sort, np.argsort(-scores, kind='stable').",
             order=lambda scores: np.argsort(scores, kind="stable")[::-1]),
    _mistake("dropped boxes still suppress",
             "Your nms lets a box that was already dropped drop others (every higher-scoring box counts, as a "
             "mask over the whole IoU matrix does): only kept boxes suppress, so go greedily, one kept box at a "
             "time, removing what it drops before taking the next.", chained=False),
    _mistake("IoU with +1 pixel",
             "Your IoU adds 1 to every width and height (x2 - x1 + 1), the pixel convention of old detection code: "
             "boxes here have continuous coordinates, width x2 - x1, so touching boxes do not overlap.",
             iou=_pixel_iou),
    KnownMistake("mask or boxes returned instead of indices",
                 "Your nms returns a boolean mask over the boxes (or the kept boxes themselves): it returns the "
                 "kept boxes' indices, highest score first, np.array(keep, dtype=np.int64).", _mask_or_boxes),
    _mistake("indices in index order",
             "Your keep holds the right indices in increasing index order: list them in decreasing order of score, "
             "the order in which greedy NMS keeps them (no np.sort, no np.where over a mask).",
             buggy=lambda *args: np.sort(_greedy(*args))),
)

KATA = Kata(
    name="nms", title="greedy non-maximum suppression (torchvision's rule), on your iou", functions=("nms",),
    depends_on=("iou",), checks=function_checks((NMS,), EDGES),
    speed=function_speed("nms of 100 boxes in 20 clusters, threshold 0.5",
                         ("nms", Inputs("speed", _clustered(20, 5, 0.5)))),
    hints=(
        "Sort by score, then walk down the list: the best box left is kept, and it removes its close "
        "neighbours before you take the next. Which boxes can remove others: all of them, or only kept ones?",
        "order = np.argsort(-scores, kind='stable'); while order is not empty: keep order[0], compute the IoU of "
        "that box with every box in order[1:] (one row of your iou_matrix), and keep in order only those with "
        "IoU <= iou_threshold. Return the kept indices as an int64 array.",
        "best, rest = order[0], order[1:]; keep.append(best); order = rest[iou_matrix(boxes[best][None], "
        "boxes[rest])[0] <= iou_threshold]",
    ),
    mistakes=MISTAKES,
)
