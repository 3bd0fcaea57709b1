"""Kata kmeans: k-means++ seeding from an rng, then Lloyd's algorithm.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader kmeans

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/kmeans.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def _sq_distances(X, centers):
    """(N, k) squared Euclidean distances, by broadcasting: exact for the grader's tie cases."""
    raise NotImplementedError("_sq_distances: not started")


def kmeans_plus_plus(X, k, rng=None):
    """k-means++ seeding (Arthur and Vassilvitskii, 2007): k initial centers drawn from the points.

    The first center is a point of X drawn uniformly at random. Each next
    center is a point of X drawn with probability proportional to D(x)**2,
    the SQUARED distance from x to the nearest center chosen so far (the
    minimum over all the chosen centers, not the distance to the last one).
    A point already chosen has D = 0 and is never drawn again, so the
    centers are k distinct points of X (X must hold at least k distinct
    points). Centers are copies of rows of X, in the order drawn.

    All randomness comes from `rng`, a numpy.random.Generator (None: a fresh
    np.random.default_rng()); never the global np.random. Any way of
    drawing from these distributions is accepted (rng.integers, rng.choice
    with p=, rng.random with a cumulative sum...). Raises ValueError when
    k < 1 or k > N. Do not modify X.

    Inputs:
    - X: Points, of shape (N, D)
    - k: Number of centers, an int
    - rng: A numpy.random.Generator, or None

    Returns:
    - centers: Array of shape (k, D), each row a row of X

    What is graded, never by comparing your draws with the reference's:
    the shape of centers; that every center is a row of X and no row is
    drawn twice; over 750 calls on 5 points with k = 3 (call i given
    rng=np.random.default_rng([seed, i]), seed 0, or the --seed given),
    that the first center is each point a fifth of the time, and that the
    second and third centers are each point as often as D(x)**2 weighting
    says (the probabilities computed exactly, averaged over the earlier
    draws), each frequency within its exact binomial band. Each of these
    15 frequency tests fails a correct answer with probability below 1e-8,
    all of them together below 1.5e-7. k = N gives every point once (centers equal to
    the points, exactly, in any order; two arrays agree when their shapes
    are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs,
    at least 1); k = 0 and k > N raise ValueError. The same seed gives the
    same centers, another seed (or rng=None, twice) different ones (200
    points, k = 10: a coincidence is below 1e-9); the global np.random
    state is neither used nor changed; X is not modified.
    """
    raise NotImplementedError("kmeans_plus_plus: not started")


def assign(X, centers):
    """The assignment step: each point's nearest center.

    labels[i] = argmin over j of |X[i] - centers[j]|**2; a point at equal
    distance from several centers goes to the one of lowest index (as
    np.argmin does). Do not modify X or centers.

    Inputs:
    - X: Points, of shape (N, D)
    - centers: Centers, of shape (k, D)

    Returns:
    - labels: Integer array of shape (N,), each in [0, k)

    What is graded: the shape of labels; labels against the reference
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs, at least 1: for labels, exactly);
    ties to the lower index (points exactly halfway between
    centers, at small integer coordinates where every way of computing the
    distances is exact); that no argument is modified; that the same
    inputs give the same outputs.
    """
    raise NotImplementedError("assign: not started")


def update_centers(X, labels, centers):
    """The update step: each center moves to the mean of its cluster.

    new_centers[j] is the mean of the points X[i] with labels[i] == j; a
    cluster with no point (an empty cluster) keeps its previous center,
    centers[j] (no NaN from an empty mean, no zeros, no re-seeding). Do not
    modify any argument: return a new array.

    Inputs:
    - X: Points, of shape (N, D)
    - labels: Integer array of shape (N,), each in [0, k)
    - centers: The current centers, of shape (k, D)

    Returns:
    - new_centers: Array of shape (k, D)

    What is graded: the shape of new_centers; its values against the
    reference (two arrays agree when their shapes are equal and max|a - b|
    <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the
    largest magnitude among the check's inputs, at least 1); an empty
    cluster keeps its center; that no argument is modified; that the same
    inputs give the same outputs.
    """
    raise NotImplementedError("update_centers: not started")


def kmeans(X, centers, max_iters=100):
    """Lloyd's algorithm from the given centers.

    Each iteration: labels = assign(X, centers); record the inertia of that
    assignment, the sum over points of the SQUARED distance to their
    center, sum(|X[i] - centers[labels[i]]|**2); stop if labels equal the
    previous iteration's (the assignments stopped changing); else centers =
    update_centers(X, labels, centers). At most max_iters iterations (each
    makes one assignment), so an unconverged run ends with an update. The
    first iteration never stops (there is no previous assignment), so a
    run makes at least 2 assignments when max_iters >= 2, even from
    converged centers. The returned centers are the means of the returned
    clusters (an empty cluster keeping its center), and the inertias never
    increase: assignment and update can each only lower it. Raises
    ValueError when max_iters < 1. Do not modify X or centers.

    Inputs:
    - X: Points, of shape (N, D)
    - centers: Initial centers, of shape (k, D)
    - max_iters: The most iterations (assignments), an int >= 1

    Returns a tuple of:
    - centers: Final centers, of shape (k, D)
    - labels: Final assignment, an integer array of shape (N,)
    - inertias: The inertia after each assignment, in order: a list of
      floats (or a 1-D array), one per iteration

    What is graded: the shapes (inertias: one per iteration made); centers,
    labels and inertias against the reference (two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs, at least 1); that your inertias never increase; that the run
    stops at the first iteration whose labels equal the previous one's (the
    number of iterations, computed by an independent brute-force Lloyd; one
    run starts from centers that are already the means of their clusters);
    edge cases: a cluster that empties keeps its center, max_iters = 1 (one
    assignment, then one update), max_iters = 0 raises ValueError; that no
    argument is modified; that the same inputs give the same outputs.
    """
    raise NotImplementedError("kmeans: not started")
