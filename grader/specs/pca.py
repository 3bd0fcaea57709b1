"""pca: principal components by decreasing variance (ddof 1), sign-normalised rows, and the projection.

The data have well-separated variances (the top eigenvalues at least 1.5 times apart, redrawn until they are), so every
component is defined up to its sign, which the contract's rule fixes: components compare by value. Data sit far from
the origin, so a missing centring shows.
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, answered, arguments, expected,
                                        function_checks, function_mistake, function_speed, returned)
from grader.authoring.kata import Kata, KnownMistake
from grader.checks.compare import agree
from grader.checks.returns import tried


def _draw(rng: np.random.Generator, n: int, d: int, ratio: float = 2.5) -> np.ndarray:
    """(n, d) data: standard deviations 6, 6/ratio, 6/ratio**2, ... along a random rotation, offset by up to 50;
    redrawn until the sample variances of the top components are at least 1.5 times apart."""
    while True:
        rotation = np.linalg.qr(rng.standard_normal((d, d)))[0]
        x = (rng.standard_normal((n, d)) * 6 * ratio ** -np.arange(d)) @ rotation + rng.uniform(-50, 50, d)
        s = np.linalg.svd(x - x.mean(0), compute_uv=False)[:min(n - 1, d, 5)] ** 2
        if np.all(s[:-1] >= 1.5 * s[1:]):
            return x


def _fit(n: int, d: int, k: int, label: str = "") -> Inputs:
    return Inputs(label or f"X {n}x{d}, k = {k}", lambda rng: {"X": _draw(rng, n, d), "n_components": k})


def _orthonormal(rng, k, d):
    return np.linalg.qr(rng.standard_normal((d, k)))[0].T


def _projection(rng) -> dict:
    """The data pca_fit saw, with its mean and (unsigned) components: the columns' variances are the eigenvalues."""
    x = _draw(rng, 30, 5)
    return {"X": x, "mean": x.mean(0), "components": np.linalg.svd(x - x.mean(0), full_matrices=False)[2][:3]}


FIT = Function("pca_fit", (Value("mean", lambda args: (args["X"].shape[1],)),
                           Value("components", lambda args: (args["n_components"], args["X"].shape[1])),
                           Value("explained_variance", lambda args: (args["n_components"],)),
                           Value("explained_variance_ratio", lambda args: (args["n_components"],))),
               (_fit(50, 6, 3), _fit(40, 4, 2), _fit(10, 12, 3, "wide X 10x12 (N < D), k = 3")),
               quantities=lambda args: {"N": len(args["X"]), "(N-1)/N": (len(args["X"]) - 1) / len(args["X"])},
               factors=(Factor("explained_variance", lambda q: q["(N-1)/N"],
                               "the sample covariance divides by N - 1 (ddof 1), not N"),))
TRANSFORM = Function("pca_transform", (Value("Z", lambda args: (len(args["X"]), len(args["components"]))),),
                     (Inputs("X 7x5, 3 orthonormal components", lambda rng: {
                         "X": rng.standard_normal((7, 5)) + 10, "mean": rng.standard_normal(5),
                         "components": _orthonormal(rng, 3, 5)}),))
EDGES = (
    Edge("k = 1", (("pca_fit", _fit(30, 5, 1)),)),
    Edge("k = D: the ratios sum to 1", (("pca_fit", _fit(25, 4, 4, "X 25x4, k = 4 = D")),)),
    Edge("k = 0 and k > min(N, D) raise ValueError", (("pca_fit", _fit(10, 4, 0)), ("pca_fit", _fit(10, 4, 5))),
         raises="ValueError"),
    # One row: k = 1 is in range, but the covariance's N - 1 is 0 (np.cov and S**2 / (N - 1) give NaN or inf).
    Edge("X with one row raises ValueError", (("pca_fit", Inputs("X 1x4 (N = 1), k = 1", lambda rng: {
        "X": rng.standard_normal((1, 4)), "n_components": 1})),), raises="ValueError"),
    Edge("transform of the data pca_fit saw", (("pca_transform", Inputs("X 30x5 with its own mean and top 3 "
                                                                       "directions", _projection)),)),
)


# -- known mistakes -------------------------------------------------------------

def _signed(rows: np.ndarray) -> np.ndarray:
    return rows * np.sign(rows[np.arange(len(rows)), np.argmax(np.abs(rows), axis=1)])[:, None]


def _uncentred(reference, X, n_components):
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    variances = s**2 / (len(X) - 1)
    return (X.mean(0), _signed(vt[:n_components]), variances[:n_components],
            variances[:n_components] / variances.sum())


def _fit_mistake(name, explanation, change, judged=("components", "explained_variance", "explained_variance_ratio")):
    return function_mistake(FIT, name, explanation, lambda reference, X, k: change(len(X), *reference.pca_fit(X, k)),
                            judged=judged)


def _raw_components(session):
    """(the learner's components as returned, the reference's) on each case where pca_fit returned 4 values."""
    for inputs in FIT.cases:
        call = tried(lambda: returned(session, FIT.name, inputs))
        value = call.value if call is not None else None
        if isinstance(value, tuple) and len(value) == 4 and isinstance(value[1], np.ndarray):
            yield value[1], expected(session, FIT, inputs)["components"]


def _as_columns(session) -> bool:
    pairs = list(_raw_components(session))
    return bool(pairs) and all(got.shape == right.T.shape and agree(right.T, got) for got, right in pairs) and \
        any(got.shape != right.shape or not agree(right, got) for got, right in pairs)


def _row_covariance(session) -> bool:
    """np.cov(X) without rowvar=False: the (N, N) covariance of the rows, so (k, N) components on every case."""
    def shape(inputs):
        value = tried(lambda: returned(session, FIT.name, inputs).value)
        return np.shape(value[1]) if isinstance(value, tuple) and len(value) == 4 else None
    return all(shape(inputs) == (args["n_components"], len(args["X"])) for inputs, args in
               ((inputs, arguments(session, inputs)) for inputs in FIT.cases))


def _unsigned(session) -> bool:
    pairs = [(got, right) for got, right, _ in answered(session, FIT, FIT.cases, "components")]
    return bool(pairs) and all(agree(np.abs(right), np.abs(got)) for got, right in pairs) and \
        any(not agree(right, got) for got, right in pairs)


MISTAKES = (
    function_mistake(FIT, "data not centred",
                     "Your components and variances are those of X itself, not of X - mean: subtract the column "
                     "means before the SVD (or the covariance).", _uncentred,
                     judged=("components", "explained_variance")),
    _fit_mistake("variance with ddof 0",
                 "Your explained_variance divides by N: the sample covariance (np.cov, scikit-learn) divides by "
                 "N - 1, so explained_variance = S**2 / (N - 1).",
                 lambda n, mean, comps, var, ratio: (mean, comps, var * (n - 1) / n, ratio), ("explained_variance",)),
    KnownMistake("components as columns",
                 "Your components are the columns of a (D, k) array, as eigh returns eigenvectors: the contract "
                 "wants one component per ROW, (k, D), e.g. Vt[:k] of the SVD or eigvecs[:, order].T.", _as_columns),
    KnownMistake("covariance of the rows",
                 "Your components have N entries, not D: np.cov(X) treats each ROW as a variable; the covariance of "
                 "the D features is np.cov(X, rowvar=False) (or Xc.T @ Xc / (N - 1)).", _row_covariance),
    KnownMistake("sign not normalised",
                 "Your components are right up to their signs, as svd or eigh returned them: flip each row so "
                 "that its entry of largest absolute value is positive.", _unsigned),
    _fit_mistake("eigenvalues in ascending order",
                 "Your components and variances come in increasing order, as np.linalg.eigh returns them: sort "
                 "by decreasing eigenvalue (order = np.argsort(eigvals)[::-1]) before keeping k.",
                 lambda n, mean, comps, var, ratio: (mean, comps[::-1], var[::-1], ratio[::-1])),
    _fit_mistake("ratio over the kept components only",
                 "Your explained_variance_ratio divides by the sum of the k kept variances: divide by the total "
                 "variance, the sum of all D eigenvalues (the trace of the covariance).",
                 lambda n, mean, comps, var, ratio: (mean, comps, var, var / var.sum()), ("explained_variance_ratio",)),
    function_mistake(TRANSFORM, "transform without centring",
                     "Your Z is X @ components.T: project the centred data, (X - mean) @ components.T.",
                     lambda reference, X, mean, components: X @ components.T),
)

_SPEED = Inputs("X 1000x40, k = 5", lambda rng: {"X": rng.standard_normal((1000, 40)) * np.arange(40, 0, -1),
                                                "n_components": 5})

KATA = Kata(
    name="pca",
    title="principal component analysis: centred, ddof 1, sign-normalised rows, explained variance",
    functions=("pca_fit", "pca_transform"),
    checks=function_checks((FIT, TRANSFORM), EDGES),
    speed=function_speed("pca_fit on X 1000x40, k = 5", ("pca_fit", _SPEED)),
    hints=("The principal directions are the eigenvectors of the covariance of the CENTRED data; the SVD of the "
           "centred data gives them, in the right order, without forming the covariance.",
           "Subtract the column means, take np.linalg.svd(Xc, full_matrices=False), keep the first k rows of Vt, "
           "flip each so its largest-magnitude entry is positive, and read the variances off the singular values.",
           "components = Vt[:k] * sign(Vt[i, argmax|Vt[i]|]); explained_variance = S[:k]**2 / (N - 1); "
           "explained_variance_ratio = S[:k]**2 / (S**2).sum(); Z = (X - mean) @ components.T."),
    mistakes=MISTAKES,
)
