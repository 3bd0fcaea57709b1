"""activations: ReLU, sigmoid and tanh, forward and backward, on arrays of any shape.

Each layer gets the standard layer rows, named after it ("relu forward values"), on small x of 1, 2 and 3
dimensions (ReLU's 0.1 or more away from its kink, so central differences never straddle it); the edge rows hold
the contract's promises: ReLU's gradient at exactly 0 is 0 (against the reference only: no numerical gradient
exists there), and sigmoid at +-1000 is 1.0 and 0.0, finite, with no warning.
"""
import numpy as np

from grader.checks.compare import compare_arrays
from grader.checks.session import Session
from grader.authoring.kata import KnownMistake
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake


def _away_from_zero(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x with |x| in [0.1, 2]: central differences never straddle ReLU's kink."""
    return {"x": rng.choice([-1.0, 1.0], size=shapes["x"]) * rng.uniform(0.1, 2.0, size=shapes["x"])}


def _with_zeros(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x away from zero but for every third element, which is exactly 0.0."""
    x = _away_from_zero(rng, shapes)["x"]
    x.reshape(-1)[::3] = 0.0
    return {"x": x}


def _layer(name: str, make=None, edges: tuple[Edge, ...] = ()) -> Layer:
    shapes = {"1-D x": (7,), "2-D x": (3, 4), "3-D x": (2, 3, 4)}  # small: numerical gradients cover every element
    return Layer(forward=f"{name}_forward", backward=f"{name}_backward", inputs=("x",), edges=edges,
                 cases=tuple(Case(label, {"x": shape}, make=make) for label, shape in shapes.items()),
                 speed_case=Case("speed", {"x": (128, 256)}))


RELU = _layer("relu", make=_away_from_zero, edges=(
    Edge("gradient at 0 is 0", Case("x with exact zeros", {"x": (4, 6)}, make=_with_zeros),
         why="ReLU's gradient at exactly x == 0 is 0, as in PyTorch: dx = dout where x > 0, else 0",
         gradients="reference"),  # central differences at the kink give dout/2
))
SIGMOID = _layer("sigmoid", edges=(
    Edge("stable at +-1000", Case("x = [[-1000, -50, -1, 0], [0.5, 3, 50, 1000]]", {"x": (2, 4)},
                                  make=lambda rng, shapes: {"x": np.array([[-1e3, -50, -1, 0], [0.5, 3, 50, 1e3]])}),
         why="sigmoid(1000) is 1.0 and sigmoid(-1000) is 0.0", gradients="none",
         clean="take exp only of numbers <= 0: with e = exp(-|x|), out = 1/(1 + e) where x >= 0 and e/(1 + e) "
               "where x < 0 (np.where computes both branches on every element, so mask before exp)"),
))
TANH = _layer("tanh")


def _relu_backward_zeroes_dout(session: Session) -> bool:
    """relu_backward masked the caller's dout in place: dout comes back as the gradient."""
    rng = session.rng("mistake", "relu backward in place")
    x = _away_from_zero(rng, {"x": (3, 4)})["x"]
    dout = rng.standard_normal(x.shape)
    forward = session.call("relu_forward", x, send=())
    after = session.call("relu_backward", dout, forward.ref[1], send=(), return_args=True).args_after[0][0]
    return (isinstance(after, np.ndarray) and after.shape == dout.shape and not np.array_equal(after, dout)
            and compare_arrays("dout", np.where(x > 0, dout, 0.0), after) is None)


KATA = layer_kata(
    RELU, SIGMOID, TANH, name="activations", workload="relu, sigmoid and tanh, forward + backward, on x 128x256",
    title="ReLU, sigmoid and tanh forward and backward (kink at 0, stable sigmoid)",
    mistakes=(
        KnownMistake("relu backward zeroes dout in place",
                     "Your relu_backward writes the gradient into the caller's dout (dout[x <= 0] = 0): build a "
                     "new array instead, np.where(x > 0, dout, 0.0) or dout * (x > 0).",
                     _relu_backward_zeroes_dout),
        layer_mistake(RELU, "relu gradient 1 at 0",
                      "Your dx passes dout through where x is exactly 0, as x >= 0 does: the gradient at the kink "
                      "is 0 by convention, so mask with x > 0.",
                      gradients=lambda reference, right, dout, x: np.where(x >= 0, dout, 0.0)),
        layer_mistake(SIGMOID, "sigmoid derivative taken at x",
                      "Your dx is dout * x * (1 - x), the formula applied to the input: sigmoid' is s * (1 - s) "
                      "with s = sigmoid(x), so cache the output and use it.",
                      gradients=lambda reference, right, dout, x: dout * x * (1 - x)),
        layer_mistake(TANH, "tanh derivative taken at x",
                      "Your dx is dout * (1 - x**2), the formula applied to the input: tanh' is 1 - t**2 with "
                      "t = tanh(x), so cache the output and use it.",
                      gradients=lambda reference, right, dout, x: dout * (1 - x ** 2)),
    ),
    hints=(
        "Each backward multiplies dout, element by element, by the derivative of its forward; think about "
        "what each forward should cache so that this derivative is cheap and exact.",
        "ReLU caches x and lets dout through where x > 0, in a new array. Sigmoid and tanh cache their "
        "output and write the derivative from it; for a stable sigmoid, only ever take exp of -|x|.",
        "relu: dx = dout * (x > 0); sigmoid: dx = dout * s * (1 - s) with s = sigmoid(x); tanh: "
        "dx = dout * (1 - t**2) with t = tanh(x).",
    ),
)
