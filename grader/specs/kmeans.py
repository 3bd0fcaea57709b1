"""kmeans: k-means++ seeding graded statistically, then Lloyd's steps graded by value.

kmeans_plus_plus is random: it is never compared draw for draw with the reference. 750 calls on 5 points with k = 3,
call i with rng=default_rng([run seed, i]) (independent draws, made in one request shared by the learner's two
processes), give the frequencies of the first, second and third centers, each compared with its exact probability
(computed here by enumerating every sequence of draws) within the exact binomial band of false-failure rate 1e-8
(statistical.binomial_band; the third center's point 1, p = 0.640: 53.9% to 73.9%): 15 tests, 1.5e-7 in all. The
points are chosen so that each known mistake fails: D(x) weighting (0.427 there) passes that one test with a chance
of 5e-10, distances to the last or the first center only with chances below 1e-140. The Lloyd steps are deterministic
given the centers and graded against the reference, and the number of iterations against a brute-force Lloyd here.
"""
import numpy as np

from grader.authoring.functions import (Edge as FunctionEdge, Function, Inputs, Value, arguments, function_checks,
                                        function_mistake, function_speed, returned, values)
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake, either_mistake
from grader.authoring.statistical import (SHAPE_ROW, Edge, Event, Sampler, expect_fraction, first_unshaped,
                                          global_rng_mistake, many_draws, many_label, sample, statistical_checks,
                                          within_band)
from grader.checks.results import GROUPS
from grader.checks.returns import tried

#: The frequency test's points, found by a search for the ones where each known mistake is farthest from the exact
#: bands of 750 draws: the third center's point 1 tells each best, D(x) weighting's frequency 6.2 of its own standard
#: deviations beyond the band, distances to the last center only 39.7 and to the first only 31.1. (The points of an
#: earlier version needed 1000 draws to tell D(x) as surely: 3e-9.)
POINTS = np.array([[4.5, 6.5], [2.5, 3.5], [1.0, 1.0], [0.5, 0.5], [4.0, 6.0]])
DRAWS, K = 750, 3
SET = f"{len(POINTS)} points, k = {K}"
CHOSEN = Event("draws", "picked that point", "")


def _rows_of(X: np.ndarray, centers: object, k: int) -> np.ndarray:
    """The row of X that each center is (-1: not a row of X, or not an array of shape (k, D))."""
    if not (isinstance(centers, np.ndarray) and centers.shape == (k, X.shape[1])):
        return np.full(k, -1)
    equal = (centers[:, None, :] == X[None, :, :]).all(axis=2)
    return np.where(equal.any(axis=1), equal.argmax(axis=1), -1)


def probabilities(X: np.ndarray, k: int, power: float = 2.0, last: bool = False, first: bool = False) -> np.ndarray:
    """(k, N) exact probability that draw t is point j, enumerating every sequence of draws: weights
    D(x)**power to the nearest chosen center (`last`: to the last one only; `first`: to the first one only, the
    chosen points left out, as rng.choice(N, size=k - 1, replace=False, p=...) draws)."""
    distance = np.sqrt(((X[:, None] - X[None]) ** 2).sum(axis=2))
    found = np.zeros((k, len(X)))

    def walk(chosen: list, probability: float) -> None:
        if len(chosen) == k:
            return
        weights = np.ones(len(X)) if not chosen else \
            (distance[chosen[-1]] if last else distance[chosen[0]] if first else distance[chosen].min(axis=0)) ** power
        if first:
            weights[chosen] = 0.0
        for j, p in enumerate(weights / weights.sum()):
            if p > 0:
                found[len(chosen), j] += probability * p
                walk(chosen + [j], probability * p)
    walk([], 1.0)
    return found


def _drawn(session) -> tuple[np.ndarray, np.ndarray]:
    """(centers, rows): the centers (DRAWS, K, 2) of DRAWS calls of the learner's kmeans_plus_plus, call i with a
    Generator of its own (see many_draws), in one request shared by the learner's two processes; the rows of
    POINTS they are (DRAWS, K), -1 where none."""
    def draw() -> tuple[np.ndarray, np.ndarray]:
        with session.about(f"{SET}, {DRAWS} calls with rng=np.random.default_rng([{session.seed}, i]) "
                           f"for i = 0 to {DRAWS - 1}"):
            centers = many_draws(session, SAMPLER, (POINTS, K), DRAWS)
        equal = (centers[:, :, None, :] == POINTS[None, None, :, :]).all(axis=3)  # (DRAWS, K, N): as _rows_of
        return centers, np.where(equal.any(axis=2), equal.argmax(axis=2), -1)
    return session.memo(("kmeans++ draws",), draw)


def _which(session, n: int) -> str:
    return f"{SET}, {many_label(session.seed, n)}"


def _shaped(session) -> np.ndarray:
    """The rows of _drawn, once every call returned an array of shape (K, 2) of numbers (which rows to count)."""
    centers, rows = _drawn(session)
    odd = first_unshaped(centers)
    if odd is not None:
        raise CheckFailed(f"{_which(session, odd)}: kmeans_plus_plus did not return an array of shape {(K, 2)} of "
                          f"finite numbers")
    return rows


def _points_of_x(session) -> None:
    rows = _shaped(session)
    if (rows < 0).any():
        raise CheckFailed(f"{_which(session, int(np.argmax((rows < 0).any(axis=1))))}: a center is not a row of X: "
                          f"each center is a copy of a point, X[index]")
    twice = np.flatnonzero([len(set(row)) < K for row in rows])
    if twice.size:
        raise CheckFailed(f"{_which(session, twice[0])}: centers {rows[twice[0]].tolist()} pick a point twice (in "
                          f"{twice.size} of {DRAWS} calls): a chosen point has D = 0, so it is never drawn again")


def _frequencies(session, draw: int, mistaken=()) -> None:
    """Each point's frequency as draw `draw` within the band of its probability; a failure says the why of the
    first of `mistaken` (probabilities, why) whose every frequency of that draw is within its bands."""
    rows, right = _shaped(session), probabilities(POINTS, K)[draw]
    chosen = [rows[:, draw] == j for j in range(len(POINTS))]
    like = next(((wrong, why) for wrong, why in mistaken
                 if all(within_band(events, wrong[draw, j], exact=True) for j, events in enumerate(chosen))), None)
    for j, p in enumerate(right):
        expect_fraction(chosen[j], p, f"{SET}, {('first', 'second', 'third')[draw]} center, point {j}", CHOSEN,
                        () if like is None else ((like[0][draw, j], like[1]),), exact=True)


_D = (probabilities(POINTS, K, power=1.0), "the weights are D(x), not D(x)**2")
# Weights from one chosen center only: these points do not tell the first from the last apart (both are far from
# the right third centers), so they are one mistake.
_ONE = "D(x) is the distance to the NEAREST chosen center, not to the last or the first one only"
_LAST = (probabilities(POINTS, K, last=True), _ONE)
_FIRST = (probabilities(POINTS, K, first=True), _ONE)


def _weighted(session) -> None:
    _frequencies(session, 1, (_D,))
    _frequencies(session, 2, (_D, _LAST, _FIRST))


SAMPLER = Sampler("kmeans_plus_plus", lambda rng: (rng.standard_normal((200, 3)), 10),
                  lambda X, k: f"X of shape {X.shape}, k = {k}", draw="centers", shape=lambda X, k: (k, X.shape[1]),
                  cases=(lambda rng: (rng.standard_normal((20, 2)), 4),))
SEEDING_EDGES = (
    Edge("k = 0 and k > N raise ValueError", SAMPLER,
         (lambda rng: (POINTS.copy(), 0), lambda rng: (POINTS.copy(), len(POINTS) + 1)),
         raises="ValueError", why="k must be in [1, N]"),
)


def _every_point(session) -> None:
    """k = N: the centers are the points, in some order (the order is random)."""
    for seed in (0, 1, 2):
        centers, _ = sample(session, SAMPLER, (POINTS.copy(), len(POINTS)), seed)
        # The same rows in some order (compared as sorted lists: np.unique would load numpy.ma, ~10 ms here).
        if sorted(map(tuple, centers.tolist())) != sorted(map(tuple, POINTS.tolist())):
            raise CheckFailed(f"{len(POINTS)} points, k = {len(POINTS)}, seed {seed}: centers {centers.tolist()} are "
                              f"not every point once")


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
# The initial centers are already their clusters' means: the rules make 2 assignments (the first never stops);
# stopping when the centers stop moving (a tolerance on their shift, as sklearn's tol) makes 1.
CONVERGED = _fixed("centers already the means of their clusters", X=[[0, 0], [2, 0], [10, 10], [12, 10], [11, 13]],
                   centers=[[1, 0], [11, 11]])
ASSIGN = Function("assign", (Value("labels", lambda arguments: (len(arguments["X"]),)),),
                  (_points(9, 2, 3), _points(12, 3, 4)))
UPDATE = Function("update_centers", (Value("new_centers", "centers"),),
                  (_points(9, 2, 3, True), _points(8, 3, 4, True)))
KMEANS = Function("kmeans", tuple(Value(name, shape, listed=name == "inertias", shape_row=f"kmeans {name} shape",
                                        values_row=f"kmeans {name} values") for name, shape in (
    ("centers", "centers"), ("labels", lambda arguments: (len(arguments["X"]),)), ("inertias", _iterations))),
    (_points(30, 2, 3), _points(24, 3, 4), EMPTIES, CONVERGED))
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
            raise CheckFailed(f"{inputs.label}: {got} iteration{'s' * (got != 1)}, the stated rules make {want}: stop "
                              f"at the first assignment equal to the previous one (the first never stops), one "
                              f"inertia each")


# -- known mistakes -------------------------------------------------------------

def _deterministic_first(session) -> bool:
    rows = tried(lambda: _shaped(session))
    return rows is not None and len(set(rows[:, 0])) == 1 and rows[0, 0] >= 0


def _weights_like(wrong: np.ndarray, draw: int):
    """Draws 1 to `draw` (the second center on) all as frequent as `wrong` makes them, and not all as the right
    weights do: D(x) changes the second center already, distances to the last center only the third."""
    def detect(session) -> bool:
        rows = tried(lambda: _shaped(session))
        if rows is None:
            return False
        right = probabilities(POINTS, K)
        like = [within_band(rows[:, t] == j, p[t, j], exact=True) for p in (wrong, right) for t in range(1, draw + 1)
                for j in range(len(POINTS))]
        return all(like[:len(like) // 2]) and not all(like[len(like) // 2:])
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
    KnownMistake("D(x) instead of D(x)^2", "Your next centers are drawn with probability proportional to D(x), "
                 "the distance: k-means++ weights each point by D(x)**2, the SQUARED distance to the nearest chosen "
                 "center.", _weights_like(_D[0], 2)),
    KnownMistake("first center chosen deterministically", "Your first center is always the same point (the first, "
                 "or the farthest): k-means++ draws it uniformly among the points, X[rng.integers(N)].",
                 _deterministic_first),
    KnownMistake("distance to one chosen center only", "Your third centers are weighted by the squared distance to "
                 "one chosen center only, the last (distances to the new center alone) or the first (distances "
                 "computed once, or every center drawn at once by rng.choice(N, size=k - 1, replace=False, p=...)): "
                 "D(x) is the distance to the nearest of all the chosen centers, updated with np.minimum after each "
                 "draw.", lambda session: _weights_like(_LAST[0], 2)(session) or _weights_like(_FIRST[0], 2)(session)),
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
    KnownMistake("stopped when the centers stopped moving", "Your kmeans stops when the centers stop moving (a "
                 "tolerance on their shift): from centers that are already their clusters' means it makes one "
                 "assignment. Stop when an assignment equals the previous one; the first never stops.",
                 lambda session: _iterations_made(session, CONVERGED) == 1),
    function_mistake(KMEANS, "inertia with sqrt distances", "Your inertias sum the distances, not the squared "
                     "distances: inertia = sum over points of |x - center|**2.",
                     _kmeans(lambda diff: float(np.sqrt((diff ** 2).sum(axis=1)).sum()))),
)


def _iterations_made(session, inputs: Inputs) -> int | None:
    """How many inertias the learner's kmeans gave on `inputs` (None: not a (centers, labels, inertias) tuple)."""
    value = tried(lambda: returned(session, KMEANS.name, inputs).value)
    return len(value[2]) if isinstance(value, tuple) and len(value) == 3 and np.ndim(value[2]) == 1 else None


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
