"""linear_regression: ridge regression in closed form (through a solve), its loss and gradient, gradient descent.

The closed form is compared with the reference on well-conditioned systems. How it is computed is not graded,
but what an inverse does to the value is: on three systems X.T @ X + reg*I of condition about 1e12, where the
digits of w depend on rounding (correct solvers differ from each other by 1e-4), w must satisfy the normal
equations to working precision, a relative residual of at most 16 eps. Measured over 16000 random systems of
this kind with OpenBLAS (four kernel families) and MKL (through torch): np.linalg.solve, a Cholesky
solve and lstsq on the augmented system stay below 3 eps; inv(A) @ b goes below 16 eps once in 2000 systems
(median 2e4 eps), so all three escape together about once in 1e10.
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, arguments, expected, function_checks,
                                        function_mistake, function_speed, returned, values)
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake, either_mistake
from grader.checks.compare import same_outputs
from grader.checks.returns import tried

EPS = np.finfo(np.float64).eps
RESIDUAL_BOUND = 16  # in eps: solve <= 3 eps, inv(A) @ b typically 2e4 eps


def _data(n: int, d: int, reg: float = 0.0, label: str = "", **keywords) -> Inputs:
    return Inputs(label or f"X {n}x{d}, reg = {reg}", lambda rng: {
        "X": rng.standard_normal((n, d)), "y": rng.standard_normal(n)}, {"reg": reg, **keywords})


def _with_w(n: int, d: int, reg: float) -> Inputs:
    return Inputs(f"X {n}x{d}, reg = {reg}", lambda rng: {
        "w": rng.standard_normal(d), "X": rng.standard_normal((n, d)), "y": rng.standard_normal(n)}, {"reg": reg})


def _ill_conditioned(index: int) -> Inputs:
    """X = U diag(s) V.T with singular values from 1 to 1e-6, so X.T @ X has condition 1e12 (times 2 with reg)."""
    def draw(rng):
        n, d = 20 + 3 * index, 6 + index
        u, v = np.linalg.qr(rng.standard_normal((n, d)))[0], np.linalg.qr(rng.standard_normal((d, d)))[0]
        s = np.logspace(0, -6, d) * 3.0
        return {"X": (u * s) @ v.T, "y": rng.standard_normal(n) * 2.0}
    reg = (0.0, 2e-12, 5e-12)[index]
    return Inputs(f"ill-conditioned X {20 + 3 * index}x{6 + index}, reg = {reg} (condition ~1e12)", draw, {"reg": reg})


ILL = tuple(_ill_conditioned(index) for index in range(3))
_N = lambda arguments: {"N": arguments["X"].shape[0]}  # noqa: E731
_D = lambda arguments: (arguments["X"].shape[1],)  # noqa: E731
CLOSED = Function("ridge_closed_form", (Value("w", _D, shape_row="closed-form w shape",
                                              values_row="closed-form w values"),),
                  (_data(12, 4), _data(10, 3, 0.7)), quantities=_N)
LOSS = Function("ridge_loss", (Value("loss"), Value("dw", "w", of="loss", wrt="w")),
                (_with_w(8, 3, 0.0), _with_w(6, 4, 0.4)), quantities=_N,
                factors=(Factor("dw", 0.5, "the derivative of a square brings down a 2, in both terms: "
                                "dw = 2*X.T @ (X @ w - y) + 2*reg*w"),))
GD = Function("ridge_gradient_descent", (Value("w", _D, shape_row="gradient-descent w shape",
                                                values_row="gradient-descent w values"),),
              (_data(8, 3, 0.1, "X 8x3, reg = 0.1, lr = 0.01, 20 steps (far from converged: the start shows)",
                     lr=0.01, num_iters=20),
               _data(12, 3, label="X 12x3, reg = 0.0, lr = 1e-3, 1000 steps"),
               _data(10, 4, 0.5, "X 10x4, reg = 0.5, lr = 0.01, 300 steps (the closed form to 1e-6)",
                     lr=0.01, num_iters=300)), quantities=_N)


def _at_minimum(rng) -> dict:
    X, y = rng.standard_normal((9, 3)), rng.standard_normal(9)
    return {"w": np.linalg.solve(X.T @ X + 0.3 * np.eye(3), X.T @ y), "X": X, "y": y}


NO_STEPS = _data(5, 3, 0.1, "num_iters = 0", num_iters=0)
EDGES = (
    Edge("D > N with reg > 0", (("ridge_closed_form", _data(3, 6, 0.5, "X 3x6 (D > N), reg = 0.5")),)),
    Edge("at the minimiser dw is 0", (("ridge_loss", Inputs("w the closed form of X 9x3, reg = 0.3", _at_minimum,
                                                            {"reg": 0.3})),), expect={"dw": 0.0}),
    Edge("num_iters = 0 gives zeros", (("ridge_gradient_descent", NO_STEPS),),
         expect={"w": 0.0}),
)


def _residuals(session) -> list[tuple[str, float]]:
    """(label, relative residual in eps) of the learner's closed form on each ill-conditioned system."""
    def compute():
        found = []
        for inputs in ILL:
            w, (X, y), reg = values(session, CLOSED, inputs)["w"], arguments(session, inputs).values(), \
                inputs.keywords["reg"]
            A = X.T @ X + reg * np.eye(X.shape[1])
            norm = np.linalg.norm(A, 2) * np.linalg.norm(w)
            found.append((inputs.label, np.inf if not norm > 0 else
                          float(np.linalg.norm(A @ w - X.T @ y) / norm / EPS)))
        return found
    return session.memo(("ridge residuals",), compute)


def _solves(session) -> None:
    for label, residual in _residuals(session):
        if not residual <= RESIDUAL_BOUND:
            raise CheckFailed(f"{label}: |A @ w - X.T @ y| / (|A| |w|) is {residual:.3g} eps, more than "
                              f"{RESIDUAL_BOUND} eps (A = X.T @ X + reg*I): w does not satisfy the normal equations "
                              f"to working precision, as inv(A) @ (X.T @ y) does not; np.linalg.solve(A, X.T @ y) "
                              f"stays below 4 eps")


def _inverse(session) -> bool:
    """The well-conditioned values are right, but an ill-conditioned residual is far above a solve's."""
    found = tried(lambda: _residuals(session))
    return bool(found) and any(residual > RESIDUAL_BOUND for _, residual in found) and all(
        tried(lambda i=i: same_outputs(values(session, CLOSED, i)["w"], expected(session, CLOSED, i)["w"]))
        for i in CLOSED.cases)


def _gd(start):
    def buggy(reference, X, y, reg=0.0, lr=1e-3, num_iters=1000):
        w = start(X.shape[1])
        for _ in range(num_iters):
            w = w - lr * (2 * X.T @ (X @ w - y) + 2 * reg * w)
        return w
    return buggy


def _random_start(session) -> bool:
    """Two calls of gradient descent on the same data (20 steps, where the start still shows) give different
    w: a random start."""
    inputs = GD.cases[0]
    got = [tried(lambda r=r: returned(session, GD.name, inputs, repeat=r).value) for r in (0, 1)]
    return all(isinstance(w, np.ndarray) and w.shape == got[0].shape for w in got) and not np.array_equal(*got)


def _loss_mistake(name: str, explanation: str, data: float, penalty: float) -> KnownMistake:
    return function_mistake(LOSS, name, explanation, lambda reference, w, X, y, reg=0.0: (
        reference.ridge_loss(w, X, y, reg)[0], data * X.T @ (X @ w - y) + penalty * reg * w))


MISTAKES = (
    KnownMistake("an inverse instead of a solve",
                 "Your closed form is right on well-conditioned data but, at condition 1e12, satisfies the normal "
                 "equations only to about cond * eps, as inv(A) @ b (or pinv) does: solve the system, "
                 "np.linalg.solve(X.T @ X + reg*np.eye(D), X.T @ y), which is backward stable.", _inverse),
    function_mistake(CLOSED, "reg added to the whole matrix not the diagonal",
                     "Your closed form adds reg to every entry of X.T @ X (numpy broadcasts the scalar): the "
                     "penalty's Hessian is reg * I, on the diagonal only, X.T @ X + reg * np.eye(D).",
                     lambda reference, X, y, reg=0.0: np.linalg.solve(X.T @ X + reg, X.T @ y)),
    _loss_mistake("the factor 2 of the gradient",
                  "Your dw is X.T @ (X @ w - y) + reg*w, the gradient of half the objective: the loss has no 1/2, "
                  "so dw = 2*X.T @ (X @ w - y) + 2*reg*w.", 1.0, 1.0),
    _loss_mistake("reg without the factor in the gradient",
                  "Your dw adds reg*w for the penalty: the derivative of reg*sum(w**2) is 2*reg*w.", 2.0, 1.0),
    function_mistake(LOSS, "a mean, not a sum",
                     "Your loss and dw are the mean squared error's, 1/N of the stated ones: the objective is a SUM, "
                     "sum((X @ w - y)**2) + reg * sum(w**2), as scikit-learn's Ridge minimises.",
                     lambda reference, w, X, y, reg=0.0: (np.mean((X @ w - y) ** 2) + reg * np.sum(w * w),
                                                          2 * X.T @ (X @ w - y) / len(y) + 2 * reg * w)),
    function_mistake(LOSS, "half the objective",
                     "Your loss is half the stated one (0.5 * sum of squares, the textbook convention that cancels "
                     "the 2), and dw its gradient: here the loss has no 1/2, so dw = 2*X.T @ (X @ w - y) + 2*reg*w.",
                     lambda reference, w, X, y, reg=0.0: (
                         0.5 * reference.ridge_loss(w, X, y, reg)[0], X.T @ (X @ w - y) + reg * w)),
    either_mistake("gradient descent from the wrong start",
                   "Your gradient descent does not start from zeros (a random or all-ones w): the contract starts "
                   "from w = np.zeros(D), so that the steps, and w after num_iters of them, are determined.",
                   function_mistake(GD, "ones", "", _gd(np.ones), cases=(NO_STEPS,)),
                   KnownMistake("random", "", _random_start)),
)

KATA = Kata(
    name="linear_regression",
    title="ridge regression: closed form through a solve, the loss and its gradient, gradient descent",
    functions=("ridge_closed_form", "ridge_loss", "ridge_gradient_descent"),
    checks=function_checks((CLOSED, LOSS, GD), EDGES, extra=(
        Check("ill-conditioned: w solves the normal equations", "value", _solves, needs=("closed-form w shape",)),)),
    speed=function_speed("ridge_closed_form on X 2000x50, ridge_gradient_descent on X 50x5 (100 steps)",
                         ("ridge_closed_form", _data(2000, 50, 0.1)),
                         ("ridge_gradient_descent", _data(50, 5, 0.1, "X 50x5", num_iters=100))),
    hints=(
        "Set the gradient of the objective to zero and you get a linear system: solve it, do not invert it. "
        "The loss is a sum with no 1/2, so every term of the gradient keeps its 2.",
        "A = X.T @ X + reg * np.eye(D), w = np.linalg.solve(A, X.T @ y); the loss is the sum of squared "
        "residuals plus reg*|w|^2; gradient descent starts from zeros and steps w -= lr * dw.",
        "w = solve(X.T X + reg I, X.T y); loss = |X w - y|^2 + reg |w|^2; dw = 2 X.T (X w - y) + 2 reg w.",
    ),
    mistakes=MISTAKES,
)
