"""kmeans: k-means++ seeding graded statistically, then Lloyd's steps graded by value.

kmeans_plus_plus is random: it is never compared draw for draw with the reference. 1500 calls on 4 points with k = 3
(50 Generators seeded 0-49, 30 calls each) give the frequencies of the first, second and third centers, each
compared with its exact probability (computed here by enumerating every sequence of draws) within Hoeffding's band
(+-0.080): 12 tests of false-failure rate 1e-8 each. The points are chosen so that D(x) weighting (0.166 away, 6.6
standard deviations beyond the band) and distances to the last center only (0.209 away) fail. The Lloyd steps are
deterministic given the centers and graded against the reference, and the number of iterations against a brute-force
Lloyd here.
"""
import numpy as np

from grader.authoring.functions import (Edge as FunctionEdge, Function, Inputs, Value, arguments, function_checks,
                                        function_mistake, function_speed, returned, values)
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake, either_mistake
from grader.authoring.statistical import (SHAPE_ROW, Edge, Event, Sampler, expect_fraction, global_rng_mistake,
                                          sample, statistical_checks, within_band)
from grader.checks.results import GROUPS
from grader.checks.returns import tried

#: The frequency test's points: D(x)**2 weighting is at least 0.166 from D(x)'s, 0.2 from last-center-only's.
POINTS = np.array([[2.0, 1.0], [4.0, 7.0], [2.0, 7.0], [3.0, 6.0]])
DRAWS, K, GENERATORS = 1500, 3, 50  # 50 requests of 30 calls
CHOSEN = Event("draws", "picked that point", "")


def _rows_of(X: np.ndarray, centers: object, k: int) -> np.ndarray:
    """The row of X that each center is (-1: not a row of X, or not an array of shape (k, D))."""
    if not (isinstance(centers, np.ndarray) and centers.shape == (k, X.shape[1])):
        return np.full(k, -1)
    equal = (centers[:, None, :] == X[None, :, :]).all(axis=2)
    return np.where(equal.any(axis=1), equal.argmax(axis=1), -1)


def probabilities(X: np.ndarray, k: int, power: float = 2.0, last: bool = False) -> np.ndarray:
    """(k, N) exact probability that draw t is point j, enumerating every sequence of draws: weights
    D(x)**power to the nearest chosen center (`last`: to the last one only)."""
    distance = np.sqrt(((X[:, None] - X[None]) ** 2).sum(axis=2))
    found = np.zeros((k, len(X)))

    def walk(chosen: list, probability: float) -> None:
        if len(chosen) == k:
            return
        weights = np.ones(len(X)) if not chosen else \
            (distance[chosen[-1]] if last else distance[chosen].min(axis=0)) ** power
        for j, p in enumerate(weights / weights.sum()):
            if p > 0:
                found[len(chosen), j] += probability * p
                walk(chosen + [j], probability * p)
    walk([], 1.0)
    return found


def _drawn(session) -> np.ndarray:
    """(DRAWS, K): the rows of POINTS drawn by the learner's kmeans_plus_plus, in GENERATORS batches of
    consecutive calls sharing one Generator (seeded 0, 1, ...), each batch one request to the learner's process
    (repeated calls at X "moved" by 0: a call per request costs milliseconds; a batch stays below the size that
    is shared with the twin, which would repeat the same Generator's draws)."""
    def draw() -> np.ndarray:
        rows = []
        with session.about(f"4 points, k = 3, {GENERATORS} Generators seeded 0 to {GENERATORS - 1}, "
                           f"{DRAWS // GENERATORS} calls each"):
            for seed in range(GENERATORS):
                outputs, _ = session.learner.perturbed_outputs(
                    "kmeans_plus_plus", (POINTS, K), {"rng": np.random.default_rng(seed)}, wrt=0,
                    indices=np.zeros(DRAWS // GENERATORS // 2, dtype=int), h=0.0, item=None)
                rows += [_rows_of(POINTS, centers, K) for centers in outputs.reshape(-1, *outputs.shape[2:])]
        return np.array(rows)
    return session.memo(("kmeans++ draws",), draw)


def _which(n: int) -> str:
    per = DRAWS // GENERATORS
    return f"4 points, k = 3, call {n % per + 1} of {per} with rng=np.random.default_rng({n // per})"


def _points_of_x(session) -> None:
    rows = _drawn(session)
    if (rows < 0).any():
        raise CheckFailed(f"{_which(int(np.argmax((rows < 0).any(axis=1))))}: a center is not a row of X: each "
                          f"center is a copy of a point, X[index]")
    twice = np.flatnonzero([len(set(row)) < K for row in rows])
    if twice.size:
        raise CheckFailed(f"{_which(twice[0])}: centers {rows[twice[0]].tolist()} pick a point twice (in "
                          f"{twice.size} of {DRAWS} calls): a chosen point has D = 0, so it is never drawn again")


def _frequencies(session, draw: int, mistaken=()) -> None:
    rows, right = _drawn(session), probabilities(POINTS, K)[draw]
    for j, p in enumerate(right):
        expect_fraction(rows[:, draw] == j, p, f"4 points, k = 3, {('first', 'second', 'third')[draw]} center, "
                        f"point {j}", CHOSEN, tuple((wrong[draw, j], why) for wrong, why in mistaken))


_D = (probabilities(POINTS, K, power=1.0), "the weights are D(x), not D(x)**2")
_LAST = (probabilities(POINTS, K, last=True), "D(x) is the distance to the NEAREST chosen center, not the last one")


def _weighted(session) -> None:
    _frequencies(session, 1, (_D,))
    _frequencies(session, 2, (_D, _LAST))


SAMPLER = Sampler("kmeans_plus_plus", lambda rng: (rng.standard_normal((200, 3)), 10),
                  lambda X, k: f"X of shape {X.shape}, k = {k}", draw="centers", shape=lambda X, k: (k, X.shape[1]),
                  cases=(lambda rng: (rng.standard_normal((20, 2)), 4),))
SEEDING_EDGES = (
    Edge("k = 0 and k > N raise ValueError", SAMPLER, (lambda rng: (POINTS.copy(), 0), lambda rng: (POINTS.copy(), 5)),
         raises="ValueError", why="k must be in [1, N]"),
)


def _every_point(session) -> None:
    """k = N: the centers are the points, in some order (the order is random)."""
    for seed in (0, 1, 2):
        centers, _ = sample(session, SAMPLER, (POINTS.copy(), len(POINTS)), seed)
        if not np.array_equal(np.unique(centers, axis=0), np.unique(POINTS, axis=0)):
            raise CheckFailed(f"4 points, k = 4, seed {seed}: centers {centers.tolist()} are not every point once")


def _fixed(label: str, **arrays) -> Inputs:
    return Inputs(label, {name: np.array(value, dtype=np.int64 if name == "labels" else np.float64)
                          for name, value in arrays.items()})


def _points(n: int, d: int, k: int, with_labels: bool = False, **keywords) -> Inputs:
    def draw(rng):  # max_iters among the arguments (positional), for the shape of inertias
        X, centers = rng.standard_normal((n, d)), rng.standard_normal((k, d))
        return {"X": X, "labels": rng.permutation(np.arange(n) % k), "centers": centers} if with_labels else \
            {"X": X, "centers": centers, **keywords}
    return Inputs(f"X {n}x{d}, k = {k}" + "".join(f", {key} = {value}" for key, value in keywords.items()), draw)


_LLOYD: dict = {}


def lloyd(X: np.ndarray, centers: np.ndarray, max_iters: int) -> int:
    """The number of assignments the stated rules make, by brute force (loops, no reference); once per input."""
    key = (X.tobytes(), X.shape, centers.tobytes(), centers.shape, max_iters)
    if key not in _LLOYD:
        _LLOYD[key] = _lloyd(X, centers, max_iters)
    return _LLOYD[key]


def _lloyd(X: np.ndarray, centers: np.ndarray, max_iters: int) -> int:
    previous, count = None, 0
    for _ in range(max_iters):
        labels = [min(range(len(centers)), key=lambda j: (sum((x - c) ** 2 for x, c in zip(point, centers[j])), j))
                  for point in X]
        count += 1
        if labels == previous:
            break
        centers = np.array([np.mean([X[i] for i in range(len(X)) if labels[i] == j], axis=0)
                            if j in labels else centers[j] for j in range(len(centers))])
        previous = labels
    return count


def _iterations(arguments: dict) -> tuple[int]:
    return (lloyd(arguments["X"], arguments["centers"], arguments.get("max_iters", 100)),)


# Ties: (1, 0) between centers 0 and 1, (1, 1) between all four, (2, 1) between 1 and 3, (1, 2) between 2 and 3.
TIES = _fixed("points halfway between centers", X=[[1, 0], [1, 1], [2, 1], [1, 2], [0, 1], [5, 5]],
              centers=[[0, 0], [2, 0], [0, 2], [2, 2]])
EMPTY = _fixed("labels never 2 (cluster 2 empty)", X=[[0.5, 1], [2, -1], [1.5, 0], [3, 3], [-1, 2], [0, 0]],
               labels=[0, 1, 0, 3, 1, 3], centers=[[0, 0], [1, 1], [7, -3], [2, 2]])
# Cluster 2 has points 1 and 2 at the first assignment and none at the second: it keeps its center.
EMPTIES = _fixed("cluster 2 empties at the second assignment",
                 X=[[2, 2], [8, 8], [1, 5], [9, 8], [9, 2], [2, 1], [0, 4]], centers=[[9, 2], [4, 1], [5, 3]])
ASSIGN = Function("assign", (Value("labels", lambda arguments: (len(arguments["X"]),)),),
                  (_points(9, 2, 3), _points(12, 3, 4)))
UPDATE = Function("update_centers", (Value("new_centers", "centers"),),
                  (_points(9, 2, 3, True), _points(8, 3, 4, True)))
KMEANS = Function("kmeans", tuple(Value(name, shape, listed=name == "inertias", shape_row=f"kmeans {name} shape",
                                        values_row=f"kmeans {name} values") for name, shape in (
    ("centers", "centers"), ("labels", lambda arguments: (len(arguments["X"]),)), ("inertias", _iterations))),
    (_points(30, 2, 3), _points(24, 3, 4), EMPTIES))
EDGES = (
    FunctionEdge("ties go to the lower index", (("assign", TIES),)),
    FunctionEdge("an empty cluster keeps its center", (("update_centers", EMPTY),)),
    FunctionEdge("max_iters = 1: one assignment, one update", (("kmeans", _points(15, 2, 3, max_iters=1)),)),
    FunctionEdge("max_iters = 0 raises ValueError", (("kmeans", _points(6, 2, 2, max_iters=0)),), raises="ValueError"),
)
KMEANS_SHAPES = tuple(value.row for value in KMEANS.returns)


def _never_increase(session) -> None:
    for inputs in KMEANS.cases:
        inertias = values(session, KMEANS, inputs)["inertias"]
        rises = np.flatnonzero(np.diff(inertias) > 1e-12 * max(1.0, float(np.max(np.abs(inertias)))))
        if rises.size:
            raise CheckFailed(f"{inputs.label}: inertia rose from {inertias[rises[0]]:.6g} to "
                              f"{inertias[rises[0] + 1]:.6g} at iteration {rises[0] + 2}: assign to the nearest center "
                              f"and move each center to its cluster's mean, and neither step can raise it")


def _stops(session) -> None:
    for inputs in KMEANS.cases:
        inertias = returned(session, KMEANS.name, inputs).value  # any length: this row says why one is wrong
        inertias = inertias[2] if isinstance(inertias, tuple) and len(inertias) == 3 else None
        if not isinstance(inertias, (list, tuple, np.ndarray)) or np.ndim(inertias) != 1:
            raise CheckFailed(f"{inputs.label}: kmeans must return (centers, labels, inertias), inertias a list")
        got, want = len(inertias), _iterations(arguments(session, inputs))[0]
        if got != want:
            raise CheckFailed(f"{inputs.label}: {got} iterations, the stated rules make {want}: stop at the first "
                              f"assignment equal to the previous one (the first never stops), one inertia each")


# -- known mistakes -------------------------------------------------------------

def _deterministic_first(session) -> bool:
    rows = tried(lambda: _drawn(session))
    return rows is not None and len(set(rows[:, 0])) == 1


def _weights_like(wrong: np.ndarray, draw: int):
    def detect(session) -> bool:
        rows = tried(lambda: _drawn(session))
        right = probabilities(POINTS, K)[draw]
        return rows is not None and all(within_band(rows[:, draw] == j, p) for j, p in enumerate(wrong[draw])) and \
            not all(within_band(rows[:, draw] == j, p) for j, p in enumerate(right))
    return detect


def _kmeans(inertia):
    """A buggy kmeans: the right centers and labels, inertias(X, centers-per-step) from the reference's own steps."""
    def buggy(reference, X, centers, max_iters=100):
        result, history, previous = reference.kmeans(X, centers, max_iters), [], None
        for _ in range(max_iters):
            labels = reference.assign(X, centers)
            history.append(inertia(X - centers[labels]))
            if previous is not None and np.array_equal(labels, previous):
                break
            centers, previous = reference.update_centers(X, labels, centers), labels
        return result[0], result[1], history
    return buggy


def _empty(value):
    def buggy(reference, X, labels, centers):
        new = reference.update_centers(X, labels, centers)
        new[np.bincount(labels, minlength=len(centers)) == 0] = value
        return new
    return buggy


MISTAKES = (
    KnownMistake("D(x) instead of D(x)^2", "Your second centers are drawn with probability proportional to D(x), "
                 "the distance: k-means++ weights each point by D(x)**2, the SQUARED distance to the nearest chosen "
                 "center.", _weights_like(_D[0], 1)),
    KnownMistake("first center chosen deterministically", "Your first center is always the same point (the first, "
                 "or the farthest): k-means++ draws it uniformly among the points, X[rng.integers(N)].",
                 _deterministic_first),
    KnownMistake("distance to the last center only", "Your third centers are weighted by the squared distance to "
                 "the LAST chosen center: D(x) is the distance to the nearest of all the chosen centers, "
                 "np.minimum of the running distances.", _weights_like(_LAST[0], 2)),
    global_rng_mistake((SAMPLER,), "centers drawn from the global np.random", "Your draws come from np.random's "
                       "global state although an rng is given: draw from it (rng.integers, rng.choice)."),
    function_mistake(ASSIGN, "ties to the higher index", "A point halfway between centers goes to the higher index "
                     "in your assign (a loop with <=, or argmin of a reversed array): ties go to the lowest index, "
                     "as np.argmin gives.", lambda reference, X, centers: len(centers) - 1 - np.argmin(
                         ((X[:, None] - centers[None, ::-1]) ** 2).sum(axis=2), axis=1), cases=(TIES,)),
    either_mistake("empty cluster's center set to NaN, zeros or re-seeded",
                   "Your update_centers gives an empty cluster another center (the NaN of an empty mean, zeros, or a "
                   "new draw): an empty cluster keeps its previous center, centers[j].",
                   *(function_mistake(UPDATE, "", "", _empty(value), cases=(EMPTY,)) for value in (np.nan, 0.0)),
                   KnownMistake("", "", lambda session: _reseeded(session))),
    function_mistake(KMEANS, "inertia with sqrt distances", "Your inertias sum the distances, not the squared "
                     "distances: inertia = sum over points of |x - center|**2.",
                     _kmeans(lambda diff: float(np.sqrt((diff ** 2).sum(axis=1)).sum()))),
)


def _reseeded(session) -> bool:
    """The empty cluster's new center is none of: its old center, NaN, zeros; the others are the means."""
    got = tried(lambda: values(session, UPDATE, EMPTY)["new_centers"])
    if got is None:
        return False
    args = arguments(session, EMPTY)
    right = session.reference.update_centers(*args.values())
    others = np.arange(len(right)) != 2
    return np.allclose(got[others], right[others]) and np.isfinite(got[2]).all() and \
        not np.allclose(got[2], right[2]) and not np.allclose(got[2], 0.0)


_LLOYD_ROWS = function_checks((ASSIGN, UPDATE, KMEANS), EDGES, extra=(
    Check("inertias never increase", "value", _never_increase, needs=KMEANS_SHAPES),
    Check("stops when assignments stop changing", "value", _stops, needs=KMEANS_SHAPES[:2]),
))
_SEEDING_ROWS = statistical_checks((SAMPLER,), (
    Check("centers are distinct points of X", "value", _points_of_x, needs=(SHAPE_ROW,)),
    Check("first center uniform among the points", "value", lambda s: _frequencies(s, 0), needs=(SHAPE_ROW,)),
    Check("next centers weighted by D(x)^2", "value", _weighted, needs=(SHAPE_ROW,)),
    Check("k = N gives every point once", "edge", _every_point, needs=(SHAPE_ROW,)),
), SEEDING_EDGES)

KATA = Kata(
    name="kmeans",
    title="k-means++ seeding (graded statistically) and Lloyd's algorithm",
    functions=("kmeans_plus_plus", "assign", "update_centers", "kmeans"),
    checks=tuple(sorted([row for row in _LLOYD_ROWS if row.name != "inputs not modified"] + list(_SEEDING_ROWS),
                        key=lambda row: GROUPS.index(row.group))),
    speed=function_speed("kmeans on X 200x4 from 4 centers", ("kmeans", _points(200, 4, 4))),
    hints=(
        "k-means++ spreads the initial centers by favouring points far from those already chosen, and the "
        "randomness must come from the rng you are given. Lloyd's two steps can each only lower the inertia.",
        "Draw the first center uniformly; keep the squared distance of every point to its nearest chosen center "
        "and draw each next one with those as weights, updating them with np.minimum. Assign with argmin of "
        "squared distances; update with per-cluster means, keeping the center of an empty cluster; loop until "
        "the labels repeat.",
        "p(x) = D(x)**2 / sum D**2; labels = argmin_j |x - c_j|**2; c_j = mean of its points (or c_j if none); "
        "inertia = sum |x - c_label|**2.",
    ),
    mistakes=MISTAKES,
)
