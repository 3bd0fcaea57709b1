"""The kmeans reference against the stated rules, by brute force (PyTorch has no k-means: this is its cross-check).

k-means++: the exact probability of every sequence of draws, enumerated here from the rule (first uniform, then
D(x)**2 to the nearest chosen center), against the reference's frequencies over many seeds, within Hoeffding's
band; and the reference's draws are always distinct rows of X. Lloyd: assign against every (point, center) pair
by loops with the lowest index on ties, update against per-cluster loops with empty clusters kept, and kmeans
against a loop that states the stop rule; inertias never increase, on many random starts.
"""
import itertools
import math

import numpy as np
import pytest

from solutions.kmeans import assign, kmeans, kmeans_plus_plus, update_centers


def _sequence_probabilities(X, k):
    """{sequence of row indices: probability} by the stated rule, every sequence enumerated."""
    N, found = len(X), {}
    sq = [[float(np.sum((X[i] - X[j]) ** 2)) for j in range(N)] for i in range(N)]
    for sequence in itertools.permutations(range(N), k):
        probability = 1.0 / N
        for t in range(1, k):
            weights = [min(sq[i][c] for c in sequence[:t]) for i in range(N)]
            probability *= weights[sequence[t]] / sum(weights)
        found[sequence] = probability
    return found


@pytest.mark.parametrize("X", [[[2, 1], [4, 7], [2, 7], [3, 6]], [[0, 0], [1, 0], [0, 3], [5, 5], [1, 1]]])
def test_kmeans_plus_plus_sequences_follow_the_rule(X):
    X, k, draws = np.array(X, dtype=float), 3, 4000
    exact = _sequence_probabilities(X, k)
    assert abs(sum(exact.values()) - 1) < 1e-12
    seen = {}
    for seed in range(draws):
        centers = kmeans_plus_plus(X, k, rng=np.random.default_rng(seed))
        rows = tuple(int(np.flatnonzero((X == center).all(axis=1))[0]) for center in centers)
        assert len(set(rows)) == k
        seen[rows] = seen.get(rows, 0) + 1
    band = math.sqrt(math.log(2 * len(exact) / 1e-9) / (2 * draws))  # every sequence at once: 1e-9
    for sequence, probability in exact.items():
        assert abs(seen.get(sequence, 0) / draws - probability) <= band, sequence
    assert set(seen) <= {s for s, p in exact.items() if p > 0}


def test_kmeans_plus_plus_leaves_the_global_rng_alone():
    state = np.random.get_state()[1].copy()
    kmeans_plus_plus(np.random.default_rng(0).standard_normal((50, 2)), 5, rng=np.random.default_rng(1))
    assert np.array_equal(np.random.get_state()[1], state)


def _assign_loops(X, centers):
    labels = []
    for x in X:
        best, label = math.inf, -1
        for j, c in enumerate(centers):
            d = sum((a - b) ** 2 for a, b in zip(x, c))
            if d < best:  # strict: a tie keeps the lower index
                best, label = d, j
        labels.append(label)
    return np.array(labels)


def _update_loops(X, labels, centers):
    new = []
    for j in range(len(centers)):
        members = [X[i] for i in range(len(X)) if labels[i] == j]
        new.append(sum(members) / len(members) if members else centers[j])
    return np.array(new, dtype=float)


@pytest.mark.parametrize("seed", range(30))
def test_lloyd_steps_follow_the_rules(seed):
    rng = np.random.default_rng(seed)
    # small integers: ties happen, and every way of computing the distances is exact
    X, centers = rng.integers(-3, 4, (15, 2)).astype(float), rng.integers(-3, 4, (4, 2)).astype(float)
    labels = assign(X, centers)
    np.testing.assert_array_equal(labels, _assign_loops(X, centers))
    np.testing.assert_allclose(update_centers(X, labels, centers), _update_loops(X, labels, centers), rtol=1e-12)
    final, final_labels, inertias = kmeans(X, centers)
    history, previous, c = [], None, centers
    for _ in range(100):
        current = _assign_loops(X, c)
        history.append(sum(float(np.sum((X[i] - c[current[i]]) ** 2)) for i in range(len(X))))
        if previous is not None and list(current) == list(previous):
            break
        c, previous = _update_loops(X, current, c), current
    np.testing.assert_allclose(inertias, history, rtol=1e-12)
    np.testing.assert_allclose(final, c, rtol=1e-12)
    np.testing.assert_array_equal(final_labels, current)
    assert all(b <= a + 1e-12 * max(1.0, a) for a, b in zip(inertias, inertias[1:]))


def test_an_emptied_cluster_keeps_its_center():
    from grader.specs.kmeans import EMPTIES
    X, centers = EMPTIES.arguments["X"], EMPTIES.arguments["centers"]
    first = assign(X, centers)
    assert 2 in first and 2 not in assign(X, update_centers(X, first, centers))  # the case is what it says
    final, labels, _ = kmeans(X, centers)
    assert 2 not in labels and np.array_equal(final[2], update_centers(X, first, centers)[2])


def test_the_grader_draws_the_same_however_the_calls_are_split(tmp_path):
    """grader.sandbox.trusted.draws seeds call i with default_rng([seed, i]) alone: one request of 40 calls
    (shared with the twin), or two of 20 in the main process, give the same draws; and a learner's exception
    inside it is the learner's function's, with its line."""
    from pathlib import Path

    from grader.authoring.statistical import DRAWS
    from grader.sandbox.errors import LearnerError
    from grader.sandbox.process import LearnerProcess
    from grader.specs.kmeans import K, POINTS

    args = ((POINTS, K), {}, 3, (K, 2))
    reference = Path(__file__).resolve().parents[1] / "solutions" / "kmeans.py"
    with LearnerProcess(reference, "learner_kmeans", 60) as learner:
        whole, _ = learner.run_split_in_child(DRAWS, "kmeans_plus_plus", range(40), *args, min_split=2)
        halves = [learner.run_split_in_child(DRAWS, "kmeans_plus_plus", part, *args, min_split=10**6)[0]
                  for part in (range(20), range(20, 40))]
    assert np.array_equal(whole, np.concatenate(halves))
    assert np.array_equal(whole[7], kmeans_plus_plus(POINTS, K, rng=np.random.default_rng([3, 7])))
    broken = tmp_path / "kmeans.py"
    broken.write_text("def kmeans_plus_plus(X, k, rng=None):\n    raise IndexError('boom')\n")
    with LearnerProcess(broken, "learner_kmeans", 60) as learner, pytest.raises(LearnerError) as raised:
        learner.run_split_in_child(DRAWS, "kmeans_plus_plus", range(4), *args)
    assert "kmeans_plus_plus raised IndexError: boom" in raised.value.summary
    assert "kmeans.py line 2" in raised.value.location
