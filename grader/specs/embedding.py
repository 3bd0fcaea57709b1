"""embedding: a token embedding lookup, out = weight[ids], and its scatter-add backward. ids are a constant of the
layer (no gradient): fixed patterns over a random permutation of the rows, so that each case keeps its repeats and
its unused rows whatever the seed, while the rows they fall on change."""
import numpy as np

from grader.authoring.kata import CheckFailed, KnownMistake
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.compare import agree, input_scale
from grader.checks.contrast import Feature
from grader.sandbox.process import LearnerError

_PATTERNS: dict[str, np.ndarray] = {}  # case name -> its ids before the permutation (for the features)
_NOT_THIS = (LearnerError, CheckFailed, TypeError, ValueError, IndexError)  # failing otherwise is another mistake


def _case(name: str, pattern, vocabulary: int, dim: int, permute: bool = True) -> Case:
    pattern = _PATTERNS[name] = np.array(pattern)

    def make(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
        ids = rng.permutation(vocabulary)[pattern] if permute else pattern.copy()
        return {"ids": ids, "weight": rng.standard_normal(shapes["weight"])}
    return Case(name, {"ids": pattern.shape, "weight": (vocabulary, dim)}, make=make)


def _distinct(case: Case) -> int:
    return len(np.unique(_PATTERNS[case.name]))


NEGATIVE = _case("id -1 of V = 5", [2, -1, 0], 5, 3, permute=False)

# Small, so that numerical gradients cover every element of weight.
LAYER = Layer(
    forward="embedding_forward", backward="embedding_backward", inputs=("weight",), constants=("ids",),
    cases=(
        _case("1-D ids", [3, 0, 5, 1, 6], 7, 4),
        _case("2-D ids (N, T)", [[0, 4, 2, 4], [1, 0, 5, 4], [2, 2, 0, 3]], 8, 5),
        _case("3-D ids", [[[0, 1, 2], [3, 4, 0]], [[2, 2, 1], [4, 3, 3]]], 5, 3),
    ),
    edges=(
        Edge("repeated ids", _case("id 2 eight times", [[2, 2, 2, 0, 2], [0, 2, 2, 2, 2]], 6, 3),
             why="an id used several times adds up all its gradients, and rows no id picks stay 0"),
        Edge("V = 1", _case("one row", [[0, 0, 0], [0, 0, 0]], 1, 4),
             why="with one row every id is 0: out repeats that row and dweight is dout summed over every position"),
        Edge("id equal to V raises ValueError", _case("id 5 of V = 5", [0, 4, 5], 5, 3, permute=False),
             raises="ValueError", why="an id of V, one past the last row (numpy raises IndexError),"),
        Edge("negative id raises ValueError", NEGATIVE, raises="ValueError",
             why="a negative id, which numpy wraps around to the end of the table (check ids < 0 yourself),"),
    ),
    speed_case=_case("speed", np.arange(8 * 128).reshape(8, 128) % 997, 1000, 64),
    dims={"weight": "V D"},
    features=(Feature("an id appears more than once", lambda case: _distinct(case) < _PATTERNS[case.name].size,
                      negation="every id appears once"),
              Feature("some rows are never used", lambda case: _distinct(case) < case.shapes["weight"][0],
                      negation="every row is used")),
    backward_twice=True,
)


def _fancy_index_add(reference, right, dout, ids, weight):
    dweight = np.zeros_like(weight)
    dweight[ids] += dout  # buffered: a repeated row is written once, by its last occurrence
    return dweight


def _arrays(session, case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The case's ids and weight, as the rows draw them, and a dout for them."""
    ids, weight = case.make(session.rng("inputs", case.label()), case.shapes).values()
    return ids, weight, session.rng("dout", case.label()).standard_normal(ids.shape + weight.shape[1:])


def _backwards(session, ids, weight, dout, calls: int = 1) -> list:
    """The learner's dweight from `calls` backward calls on one cache, and the reference's."""
    cache = session.call(LAYER.forward, ids, weight, send=()).ref[1]
    got = [np.asarray(session.call(LAYER.backward, dout, cache).value, dtype=float) for _ in range(calls)]
    return got + [session.reference_call(LAYER.backward, dout, session.reference_call(LAYER.forward, ids, weight)[1])]


def _negative_ids_wrap(session) -> bool:
    """The forward returns weight[ids] for an id of -1, numpy's wrap-around, instead of raising."""
    ids, weight, _ = _arrays(session, NEGATIVE)
    try:
        return agree(weight[ids], session.call(LAYER.forward, ids, weight, send=(0,)).value[0], input_scale(weight))
    except _NOT_THIS:
        return False


def _accumulates(session) -> bool:
    """A second backward with the same cache returns twice the first: gradients summed into a buffer in the cache."""
    ids, weight, dout = _arrays(session, LAYER.cases[0])
    try:
        first, second, right = _backwards(session, ids, weight, dout, calls=2)
        scale = input_scale(ids, weight, dout)
        return agree(right, first, scale) and agree(2 * right, second, scale)
    except _NOT_THIS:
        return False


def _unused_rows_garbage(session) -> bool:
    """Rows that some id picks are right everywhere, and rows that none picks are not 0 somewhere (np.empty)."""
    telling = False
    for case in LAYER.cases + tuple(edge.case for edge in LAYER.graded_edges):
        ids, weight, dout = _arrays(session, case)
        used = np.isin(np.arange(len(weight)), ids)
        try:
            got, right = _backwards(session, ids, weight, dout)
            if not agree(right[used], got[used], input_scale(ids, weight, dout)):
                return False
        except _NOT_THIS:
            return False
        telling = telling or bool(np.any(got[~used] != 0))
    return telling


MISTAKES = (
    layer_mistake(LAYER, "repeated ids counted once",
                  "Your dweight keeps only one gradient per repeated id, as dweight[ids] += dout does: numpy's "
                  "fancy-index += is buffered, so a row named several times is written once, not added to. Use "
                  "np.add.at(dweight, ids, dout), which adds every occurrence.", gradients=_fancy_index_add),
    KnownMistake("negative ids wrap around",
                 "Your forward returns weight[-1], the last row, for an id of -1: numpy wraps negative indices "
                 "around instead of failing. Check np.any((ids < 0) | (ids >= V)) and raise ValueError.",
                 _negative_ids_wrap),
    layer_mistake(LAYER, "dweight shaped like out",
                  "Your dweight is dout itself, one row per position: the gradient is with respect to the table, "
                  "shape (V, D), and each position's dout goes to the row its id picks, added up per row.",
                  gradients=(lambda reference, right, dout, ids, weight: dout,
                             lambda reference, right, dout, ids, weight: dout.reshape(-1, weight.shape[1]))),
    KnownMistake("unused rows not zeroed",
                 "Your dweight is right on the rows some id picks, and holds leftover numbers on the rows no id "
                 "picks: start from np.zeros((V, D)), not np.empty, whose contents are whatever memory held.",
                 _unused_rows_garbage),
    KnownMistake("gradients accumulated across backward calls",
                 "Your second backward with the same cache returns twice the first: dweight is summed into a "
                 "buffer kept in the cache, as PyTorch accumulates .grad. Every backward returns a fresh "
                 "np.zeros((V, D)) filled from this dout alone.", _accumulates),
)

KATA = layer_kata(
    LAYER, name="embedding", title="token embedding lookup forward and backward (repeated ids, ids out of range)",
    mistakes=MISTAKES,
    hints=(
        "The forward is one line of fancy indexing. In backward, ask which positions each row of weight "
        "reached, and what happens when one id is used twice.",
        "Check the range first (negative ids included), then out = weight[ids]. Backward: start from zeros of "
        "weight's shape and add each position's dout to the row its id picks, every occurrence counted.",
        "dweight = np.zeros((V, D)); np.add.at(dweight, ids.reshape(-1), dout.reshape(-1, D)): the unbuffered "
        "add, where dweight[ids] += dout keeps only one of each repeated id.",
    ),
)
