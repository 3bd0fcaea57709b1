"""logistic_regression: a stable logistic loss with its gradients (dw, db), a gradient-descent fit, predictions.

dw and db are checked against the reference and central differences of the learner's own loss, with reg 0 and
reg > 0 (b != 0, so a penalty on b shows). The edge rows hold the stability promises: logits of +-1e4 give
finite results and no warnings, and a confident wrong answer costs about 1e4 (a log(p + eps) fudge caps it).
The fit is deterministic gradient descent, so it is compared with the reference's, and must reach the labels of
linearly separable data.
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, arguments, expected, function_checks,
                                        function_mistake, function_speed, returned, values)
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.compare import format_pair, same_outputs


def _loss_inputs(n: int, d: int, reg: float, labels: type = int) -> Inputs:
    """Random w, b, X; labels 0 and 1 of dtype `labels` (the docstring allows integers or floats)."""
    return Inputs(f"X {n}x{d}, reg = {reg}" + (", float labels" if labels is float else ""), lambda rng: {
        "w": rng.standard_normal(d), "b": float(rng.standard_normal()), "X": rng.standard_normal((n, d)),
        "y": rng.integers(0, 2, size=n).astype(labels)}, {"reg": reg})


def _fixed(label: str, X: list, y: list, w=(1.0, -1.0), b=0.0) -> Inputs:
    return Inputs(label, {"w": np.array(w), "b": b, "X": np.array(X, dtype=np.float64), "y": np.array(y)})


def _blobs(rng: np.random.Generator, n: int = 30) -> dict:
    """Two well-separated Gaussian blobs in 2-D, labels 0 and 1."""
    y = rng.integers(0, 2, size=n)
    return {"X": rng.standard_normal((n, 2)) * 0.5 + np.where(y[:, None] == 1, 2.0, -2.0), "y": y}


_BIG = 1e4
# z = X @ [1, -1]: confidently right (1e4, y 1; -1e4, y 0), confidently wrong (1e4, y 0), and moderate.
HUGE = _fixed("logits of +-1e4", [[_BIG, 0], [0, _BIG], [_BIG / 2, -_BIG / 2], [0.5, 0.25], [-_BIG, 0]],
              [1, 0, 0, 1, 0])
GAP = _fixed("confidently wrong: z = +-1e4 against every label", [[_BIG, 0], [0, _BIG], [-_BIG, 0]], [0, 1, 1])
SEPARABLE = Inputs("separable blobs, 30 points, lr = 0.5, 100 steps", _blobs, {"lr": 0.5, "num_iters": 100})
ZERO_Z = Inputs("z exactly 0 in rows 0 and 2", {"w": np.array([1.0, -1.0]), "b": 0.0,
                                                "X": np.array([[1.0, 1.0], [2.0, 1.0], [-0.5, -0.5], [1.0, 3.0]])})

LOSS = Function("logistic_loss", (Value("loss"), Value("dw", "w", of="loss", wrt="w"),
                                  Value("db", of="loss", wrt="b")),
                (_loss_inputs(7, 3, 0.0), _loss_inputs(5, 4, 0.3, float)),
                quantities=lambda arguments: {"N": arguments["X"].shape[0]},
                factors=(Factor("dw db", lambda sizes: sizes["N"], "the gradient of a mean carries 1/N: "
                                "dz = (p - y)/N"),))
FIT = Function("fit_logistic", (Value("w", lambda arguments: (arguments["X"].shape[1],)), Value("b")), (
    Inputs("X 12x3, lr = 0.1, 40 steps", lambda rng: {"X": rng.standard_normal((12, 3)),
                                                       "y": rng.integers(0, 2, size=12)}, {"num_iters": 40}),
    Inputs("X 10x4, lr = 0.3, 30 steps, reg = 0.2", lambda rng: {"X": rng.standard_normal((10, 4)),
                                                                 "y": rng.integers(0, 2, size=10)},
           {"lr": 0.3, "num_iters": 30, "reg": 0.2}),
    SEPARABLE))
PREDICT = Function("predict_logistic", (Value("labels", lambda arguments: (arguments["X"].shape[0],)),), (
    Inputs("X 9x3", lambda rng: {"w": rng.standard_normal(3), "b": float(rng.standard_normal()),
                                 "X": rng.standard_normal((9, 3))}),))

_STABLE = "each term is log(1 + exp(z)) - y*z: compute it with np.logaddexp(0, z), never log(sigmoid(z))"


def _large_gap(session) -> None:
    """A confident wrong answer costs about 1e4: a log(p + eps) fudge caps it."""
    loss, right = values(session, LOSS, GAP)["loss"], expected(session, LOSS, GAP)["loss"]
    if np.isfinite(loss) and loss < 0.5 * right:
        shown_expected, shown_loss = format_pair(right, loss)
        raise CheckFailed(f"{GAP.label}: loss expected {shown_expected}, got {shown_loss}: the loss is capped, as "
                          f"log(p + eps) caps it at -log(eps); {_STABLE}")


def _separates(session) -> None:
    w, b = values(session, FIT, SEPARABLE).values()
    data = arguments(session, SEPARABLE)
    wrong = np.flatnonzero((data["X"] @ w + b > 0) != (data["y"] == 1))
    if wrong.size:
        raise CheckFailed(f"{SEPARABLE.label}: the fitted X @ w + b > 0 misses the label of {wrong.size} of "
                          f"{len(data['y'])} points (first: point {wrong[0]}): gradient descent on separable data "
                          f"must reach every label")


EDGES = (
    Edge("logits of +-1e4: exact, no warnings", (("logistic_loss", HUGE),), clean=_STABLE),
    Edge("confident wrong answer costs about 1e4", (("logistic_loss", GAP),), clean=_STABLE, first=_large_gap),
    Edge("num_iters = 0 gives zeros", (("fit_logistic", Inputs("num_iters = 0", lambda rng: {
        "X": rng.standard_normal((6, 3)), "y": rng.integers(0, 2, size=6)}, {"num_iters": 0})),),
         expect={"w": 0.0, "b": 0.0}),
    Edge("z exactly 0 predicts 0", (("predict_logistic", ZERO_Z),)),
)


# -- known mistakes -------------------------------------------------------------

def _unstable(session) -> bool:
    """Logits of 1e4 overflow (a warning or a non-finite loss) while the random losses are right."""
    calls = [returned(session, LOSS.name, inputs) for inputs in (HUGE, GAP)]
    broken = any(call.warnings or not np.isfinite(np.asarray(call.value[0], dtype=float)).all()
                 for call in calls if isinstance(call.value, tuple) and call.value)
    return broken and all(same_outputs(np.array(values(session, LOSS, inputs)["loss"]),
                                       np.array(expected(session, LOSS, inputs)["loss"])) for inputs in LOSS.cases)


def _sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def _loss(term, dz, penalty=lambda w, b, reg: (0.5 * reg * np.sum(w * w), reg * w, 0.0)):
    """A buggy logistic_loss from its per-example term(z, y), dz(z, y, N) and the penalty's (loss, dw, db)."""
    def buggy(reference, w, b, X, y, reg=0.0):
        z, (extra, dw_extra, db_extra) = X @ w + b, penalty(w, b, reg)
        g = dz(z, y, len(y))
        return np.mean(term(z, y)) + extra, X.T @ g + dw_extra, np.sum(g) + db_extra
    return buggy


_TERM, _DZ = (lambda z, y: np.logaddexp(0, z) - y * z), (lambda z, y, n: (_sigmoid(z) - y) / n)

MISTAKES = (
    KnownMistake("naive log(sigmoid) unstable",
                 "Your loss overflows or gives inf/nan at logits of +-1e4, as -log(sigmoid(z)) does when exp(-z) "
                 "overflows and sigmoid rounds to 0 or 1: each term is log(1 + exp(z)) - y*z, which "
                 "np.logaddexp(0, z) computes without overflow.", _unstable),
    function_mistake(LOSS, "reg applied to b",
                     "Your loss penalises the bias too (0.5*reg*b**2, and reg*b in db): only w is regularised, "
                     "the bias has no penalty.",
                     _loss(_TERM, _DZ, lambda w, b, reg: (0.5 * reg * (np.sum(w * w) + b * b), reg * w, reg * b))),
    function_mistake(LOSS, "penalty reg * sum(w**2)",
                     "Your L2 penalty is reg * sum(w**2) (and 2 * reg * w in dw), CS231n's convention: here it is "
                     "0.5 * reg * sum(w**2), whose gradient is reg * w.",
                     _loss(_TERM, _DZ, lambda w, b, reg: (reg * np.sum(w * w), 2 * reg * w, 0.0))),
    function_mistake(LOSS, "gradient summed not averaged",
                     "Your dw and db are sums over the batch, N times too large: the loss is a mean, so "
                     "dz = (p - y)/N.", _loss(_TERM, lambda z, y, n: _sigmoid(z) - y)),
    function_mistake(LOSS, "labels in {-1, 1} confusion",
                     "Your loss is mean(log(1 + exp(-y*z))), the formula for labels -1 and +1: with labels 0 and 1 "
                     "every y = 0 term is log 2 whatever z is. For 0/1 labels each term is log(1 + exp(z)) - y*z.",
                     _loss(lambda z, y: np.logaddexp(0, -y * z), lambda z, y, n: -y * _sigmoid(-y * z) / n)),
    function_mistake(PREDICT, "z = 0 predicted as 1",
                     "Your predict_logistic gives 1 where z = 0: the rule is a strict z > 0 (p > 0.5), so z = 0 "
                     "is label 0.", lambda reference, w, b, X: (X @ w + b >= 0).astype(int), cases=(ZERO_Z,)),
)

KATA = Kata(
    name="logistic_regression",
    title="a stable logistic loss with its gradients, and a fit by gradient descent",
    functions=("logistic_loss", "fit_logistic", "predict_logistic"),
    checks=function_checks((LOSS, FIT, PREDICT), EDGES, extra=(
        Check("fit reaches the separable data's labels", "value", _separates, needs=("w shape", "b is a real scalar")),
    )),
    speed=function_speed("logistic_loss on X 1000x20, fit_logistic on X 100x8 (20 steps)",
                         ("logistic_loss", _loss_inputs(1000, 20, 0.1)),
                         ("fit_logistic", Inputs("X 100x8", lambda rng: {"X": rng.standard_normal((100, 8)),
                                                                         "y": rng.integers(0, 2, size=100)},
                                                 {"num_iters": 20}))),
    hints=(
        "The loss only ever needs log(sigmoid(z)) and log(1 - sigmoid(z)), and both can be written without "
        "computing sigmoid first; the gradient of a mean carries 1/N, and the bias has no penalty.",
        "Write each example's loss as log(1 + exp(z)) - y*z with np.logaddexp(0, z), average it, add "
        "0.5*reg*sum(w**2); then dz = (sigmoid(z) - y)/N, dw = X.T @ dz + reg*w, db = sum(dz). The fit repeats "
        "w -= lr*dw, b -= lr*db from zeros.",
        "loss = mean(logaddexp(0, z) - y*z) + 0.5*reg*|w|^2; dw = X.T @ (p - y)/N + reg*w; db = mean(p - y).",
    ),
    mistakes=MISTAKES,
)
