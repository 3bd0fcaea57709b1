"""knn: squared distances by the |a|^2 - 2ab + |b|^2 expansion (clipped at 0), and the k-nearest-neighbour vote.

Graded by value only (loops show in the speed line, never in the score). The random cases have 2 to 4 classes and k
up to 4, so vote ties happen; the edge rows put distance ties and vote ties on integer coordinates, where distances
are exact, and points near 1e3 against themselves, where the expansion rounds below 0 unless clipped.
"""
import numpy as np

from grader.authoring.functions import (Edge, Function, Inputs, Value, answered, function_checks,
                                        function_mistake, function_speed, values)
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake


def _pair(n: int, m: int, d: int) -> Inputs:
    return Inputs(f"A {n}x{d}, B {m}x{d}", lambda rng: {"A": rng.standard_normal((n, d)),
                                                        "B": rng.standard_normal((m, d))})


def _data(n_train: int, n_test: int, d: int, classes: int, k: int) -> Inputs:
    return Inputs(f"{n_train} training points in {d}-D, {classes} classes, {n_test} test points, k = {k}", lambda rng: {
        "X_train": rng.standard_normal((n_train, d)), "y_train": rng.integers(0, classes, size=n_train),
        "X_test": rng.standard_normal((n_test, d))}, {"k": k})


def _fixed(label: str, train, labels, test, k: int) -> Inputs:
    return Inputs(label, {"X_train": np.array(train, dtype=np.float64), "y_train": np.array(labels),
                          "X_test": np.array(test, dtype=np.float64)}, {"k": k})


DIST = Function("pairwise_sq_distances", (Value("dists", lambda args: (len(args["A"]), len(args["B"]))),),
                (_pair(6, 5, 4), _pair(3, 8, 7)))
PREDICT = Function("knn_predict", (Value("labels", lambda args: (len(args["X_test"]),)),),
                   (_data(20, 12, 3, 3, 1), _data(25, 15, 4, 2, 4), _data(30, 10, 2, 4, 3)))

# 12 points with coordinates up to 1e3 in 16-D and a copy of each moved by 1e-3 (fixed), against themselves and
# against copies moved by 1e-8: the expansion cancels 1e7-sized terms, so its rounding (about 1e-9) exceeds the true
# distances of about 1e-15 and makes many of them negative whatever the order of the sums. (Against themselves only,
# the diagonal is exactly 0 when |a|^2 and a.a are summed in the same order, as with einsum: no negative to see.)
_FAR = np.random.default_rng(1).uniform(-1e3, 1e3, (12, 16))
_NEAR = np.vstack([_FAR, _FAR + 1e-3 * np.random.default_rng(9).standard_normal((12, 16))])
_NEAR_B = np.vstack([_NEAR, _NEAR + 1e-8 * np.random.default_rng(13).standard_normal((24, 16))])
NEAR = Inputs("24 points near 1e3 in 16-D (12 pairs 1e-3 apart), against themselves and copies moved by 1e-8",
              {"A": _NEAR, "B": _NEAR_B})
# 33 training points on integer coordinates, most at distance 1 of the origin: a default (unstable) argsort takes
# indices 2, 5, 6 there instead of 2, 4, 5, and their labels vote 0 instead of 1.
_TIED = np.array([[1, 0], [0, 1], [-1, 0], [0, -1], [1, 1], [2, 0]])[np.random.default_rng(5).integers(0, 6, 33)]
_TIED_LABELS = np.where(np.arange(33) == 6, 2, np.where(np.isin(np.arange(33), (4, 5)), 1, np.arange(33) % 3 * (
    np.arange(33) > 6)))
# Test point at the origin; training points at distance 1 (indices 0..3) and 2: k = 1 takes index 0. No case of this
# row (nor k = N_train's) has a vote tie, so that a mistaken vote is told by its own row only.
DISTANCE_TIES = (_fixed("4 training points at distance 1 of the test point, labels 2 0 1 0, k = 1",
                        [[0, 1], [1, 0], [0, -1], [-1, 0], [2, 0]], [2, 0, 1, 0, 1], [[0, 0]], 1),
                 _fixed("duplicate training points with labels 3 and 1, k = 1", [[1, 1], [1, 1], [5, 5]], [3, 1, 0],
                        [[0, 0], [2, 2]], 1),
                 _fixed("3 points tied at the k = 3 boundary, labels 1 | 1 0 0", [[0, 0.5], [0, 1], [1, 0], [-1, 0]],
                        [1, 1, 0, 0], [[0, 0]], 3),
                 _fixed("33 training points at distances 1, 2 and 4 (many ties), k = 3", _TIED, _TIED_LABELS,
                        [[0, 0]], 3))
VOTE_TIES = (_fixed("k = 2, nearest labels 3 then 1", [[1, 0], [2, 0], [5, 0]], [3, 1, 0], [[0, 0]], 2),
             _fixed("k = 4, nearest labels 2 2 0 0", [[1, 0], [2, 0], [3, 0], [4, 0]], [2, 2, 0, 0], [[0, 0]], 4),
             _fixed("k = 3, labels 1 2 0 each once", [[1, 0], [2, 0], [3, 0], [9, 9]], [1, 2, 0, 2], [[0, 0]], 3))
ALL = _fixed("k = N_train = 5, labels 0 2 2 1 2", [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]], [0, 2, 2, 1, 2],
             [[0, 0], [4, 0]], 5)


def _bad_k(k: int) -> Inputs:
    return _fixed(f"k = {k} with 3 training points", [[0, 0], [1, 0], [2, 0]], [0, 1, 0], [[0, 0]], k)


EDGES = (
    Edge("D = 1", (("pairwise_sq_distances", _pair(4, 3, 1)),)),
    Edge("A and B of different D raise ValueError", (("pairwise_sq_distances", Inputs(
        "A 3x4, B 2x3", lambda rng: {"A": rng.standard_normal((3, 4)), "B": rng.standard_normal((2, 3))})),),
        raises="ValueError", if_returned=lambda args: "A has D = 4 and B has D = 3"),
    Edge("distance ties: the lower training index first", tuple(("knn_predict", case) for case in DISTANCE_TIES),
         why="equal distances are taken in training order (a stable sort): "),
    Edge("vote ties: the smallest label", tuple(("knn_predict", case) for case in VOTE_TIES),
         why="a vote tie goes to the smallest label: "),
    Edge("k = N_train", (("knn_predict", ALL),)),
    Edge("k = 0 and k > N_train raise ValueError", (("knn_predict", _bad_k(0)), ("knn_predict", _bad_k(4))),
         raises="ValueError"),
)


def _never_negative(session) -> None:
    dists = values(session, DIST, NEAR)["dists"]
    if dists.min() < 0:
        i, j = np.unravel_index(np.argmin(dists), dists.shape)
        raise CheckFailed(f"{NEAR.label}: dists[{i}, {j}] = {dists[i, j]:.3g} < 0: the expansion rounds below 0 "
                          f"when a and b (nearly) coincide; clip with np.maximum(dists, 0)")
    right = session.reference_call(DIST.name, _NEAR, _NEAR_B)
    if np.abs(dists - right).max() > 1e-6:
        raise CheckFailed(f"{NEAR.label}: dists differ from the reference's by up to {np.abs(dists - right).max():.3g}")


def _integers(session) -> None:
    for inputs in PREDICT.cases:
        labels = values(session, PREDICT, inputs)["labels"]
        if labels.dtype.kind not in "iu":
            raise CheckFailed(f"{inputs.label}: labels have dtype {labels.dtype}; return integers (y_train's "
                              f"labels, e.g. with .astype(y_train.dtype) after an argmax over counts)")


EXTRA = (Check("labels are integers", "shape", _integers, needs=("labels shape",)),
         Check("no negative distances (points near 1e3)", "edge", _never_negative, needs=("dists shape",)))


# -- known mistakes -------------------------------------------------------------

def _vote(reference, X_train, y_train, X_test, k=1, pick=None, order=lambda d, k: np.argsort(d, kind="stable")[:k]):
    """knn_predict with its own choice of the k nearest (`order`) and of a vote's winner (`pick(votes)`)."""
    dists = reference.pairwise_sq_distances(X_test, X_train)
    out = []
    for row in dists:
        votes = list(y_train[order(row, k)])
        top = max(votes.count(v) for v in votes)
        out.append(pick([v for v in votes if votes.count(v) == top]))
    return np.array(out)


def _predict_mistake(name, explanation, cases=(), **how):
    return function_mistake(PREDICT, name, explanation, lambda reference, *args, **kw: _vote(reference, *args, **kw,
                                                                                              **how),
                            cases=cases)


def _unclipped(session) -> bool:
    got = answered(session, DIST, (NEAR,), "dists")
    return bool(got) and got[0][0].min() < 0 and all(
        np.allclose(g, r, atol=1e-9) for g, r, _ in answered(session, DIST, DIST.cases, "dists"))


def _dist_mistake(name, explanation, buggy):
    return function_mistake(DIST, name, explanation, lambda reference, A, B: buggy(A, B))


_NORMS = lambda A, B: (A**2).sum(1)[:, None] + (B**2).sum(1)[None, :]  # noqa: E731

MISTAKES = (
    _predict_mistake("vote ties to the nearest neighbour's label",
                     "Your vote gives a tie to the label seen first among the k nearest (as Counter.most_common "
                     "does): the contract gives it to the smallest label, np.argmax(np.bincount(votes)).",
                     VOTE_TIES, pick=lambda tied: tied[0]),
    _predict_mistake("vote ties to the largest label",
                     "Your vote gives a tie to the largest label: the contract gives it to the smallest, which "
                     "np.argmax(np.bincount(votes)) returns (argmax takes the first maximum).",
                     VOTE_TIES, pick=max),
    _predict_mistake("distance ties not by training index",
                     "Your k nearest among equal distances are not the lowest training indices: np.argsort's default "
                     "quicksort (and np.argpartition) orders ties arbitrarily once there are more than 16 points; "
                     "use np.argsort(dists, axis=1, kind='stable').",
                     DISTANCE_TIES, pick=min, order=lambda d, k: np.argsort(d)[:k]),
    KnownMistake("negative distances not clipped",
                 "Your distances are right but some are below 0 (about -1e-10) where points coincide: the "
                 "expansion |a|^2 - 2ab + |b|^2 cancels large terms; clip with np.maximum(dists, 0).", _unclipped),
    _dist_mistake("Euclidean instead of squared distances",
                  "Your dists are the square roots of the contract's: pairwise_sq_distances returns squared "
                  "distances (no np.sqrt; the ranking is the same either way).",
                  lambda A, B: np.sqrt(np.maximum(_NORMS(A, B) - 2 * A @ B.T, 0))),
    _dist_mistake("cross term without the 2",
                  "Your dists are |a|^2 - a.b + |b|^2: the expansion of |a - b|^2 has -2 a.b.",
                  lambda A, B: _NORMS(A, B) - A @ B.T),
)

_SPEED_DATA = Inputs("300 training points in 32-D, 50 test points, 10 classes, k = 5", lambda rng: {
    "X_train": rng.standard_normal((300, 32)), "y_train": rng.integers(0, 10, size=300),
    "X_test": rng.standard_normal((50, 32))}, {"k": 5})

KATA = Kata(
    name="knn",
    title="squared distances without loops, and k-nearest-neighbour classification (stated tie rules)",
    functions=("pairwise_sq_distances", "knn_predict"),
    checks=function_checks((DIST, PREDICT), EDGES, extra=EXTRA),
    speed=function_speed("knn_predict: 300 training and 50 test points in 32-D, k = 5", ("knn_predict", _SPEED_DATA)),
    hints=("Expand |a - b|^2 so that the only term mixing A and B is a matrix product; then the k nearest are an "
           "argsort away, and the vote a count per row.",
           "dists = |a|^2 column + |b|^2 row - 2 A @ B.T, clipped at 0; nearest = a stable argsort of each row, "
           "first k; count each label among them and take the argmax (the first, so the smallest label, on a tie).",
           "dists = np.maximum((A**2).sum(1)[:, None] - 2 * A @ B.T + (B**2).sum(1), 0); nearest = "
           "np.argsort(dists, axis=1, kind='stable')[:, :k]; np.argmax(np.bincount(y_train[row])) per row."),
    mistakes=MISTAKES,
)
