"""activations: ReLU, sigmoid and tanh, forward and backward, on arrays of any shape.

Three layers in one kata: each gets the standard layer rows, named after
it ("relu forward values"), and the scorecard groups them. The cases are
x of 1, 2 and 3 dimensions; ReLU's inputs stay at least 0.1 away from its
kink, so that central differences never straddle it. The edge rows hold the
contract's two promises: ReLU's gradient at exactly 0 is 0 (against the
reference only: no numerical gradient exists there), and sigmoid at
+-1000 gives 1.0 and 0.0, finite and with no warning.
"""
from __future__ import annotations

import numpy as np

from grader.checks.compare import compare_arrays
from grader.checks.session import Session
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.authoring.layer import Case, Edge, Layer, layer_checks, layer_mistake
from grader.checks.results import GROUPS, Speed
from grader.checks.returns import expect_array, expect_tuple
from grader.checks.speed import learner_pass, measure_speed, reference_pass

#: x of 1, 2 and 3 dimensions, small: numerical gradients cover every element.
SHAPES = {"1-D x": (7,), "2-D x": (3, 4), "3-D x": (2, 3, 4)}
SPEED_SHAPE = (128, 256)


def _away_from_zero(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x with |x| in [0.1, 2]: central differences never straddle ReLU's kink."""
    shape = shapes["x"]
    return {"x": rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.1, 2.0, size=shape)}


def _with_zeros(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x away from zero but for every third element, which is exactly 0.0."""
    x = _away_from_zero(rng, shapes)["x"]
    x.reshape(-1)[::3] = 0.0
    return {"x": x}


def _layer(name: str, make=None, edges: tuple[Edge, ...] = ()) -> Layer:
    return Layer(
        forward=f"{name}_forward",
        backward=f"{name}_backward",
        inputs=("x",),
        cases=tuple(Case(label, {"x": shape}, make=make) for label, shape in SHAPES.items()),
        edges=edges,
    )


RELU = _layer("relu", make=_away_from_zero, edges=(
    Edge("gradient at 0 is 0", Case("x with exact zeros", {"x": (4, 6)}, make=_with_zeros),
         why="ReLU's gradient at exactly x == 0 is 0, as in PyTorch: dx = dout where x > 0, else 0",
         gradients="reference"),  # central differences at the kink give dout/2
))
SIGMOID = _layer("sigmoid")
TANH = _layer("tanh")
LAYERS = (RELU, SIGMOID, TANH)

# -- sigmoid at +-1000 ----------------------------------------------------------

_HUGE = np.array([[-1000.0, -50.0, -1.0, 0.0],
                  [0.5, 3.0, 50.0, 1000.0]])
_HUGE_LABEL = "x = [[-1000, -50, -1, 0], [0.5, 3, 50, 1000]]"
_STABLE_HINT = ("take exp only of numbers <= 0: with e = exp(-|x|), out = 1/(1 + e) where x >= 0 and "
                "e/(1 + e) where x < 0 (np.where computes both branches on every element, so mask "
                "before exp)")


def _sigmoid_stable(session: Session) -> None:
    returned = session.call("sigmoid_forward", _HUGE, send=(0,))
    out = expect_tuple(returned.value, "sigmoid_forward", ("out", "cache"))[0]
    expect_array(out, "sigmoid_forward's out")
    if out.shape != _HUGE.shape:
        raise CheckFailed(f"{_HUGE_LABEL}: out has shape {out.shape}, expected {_HUGE.shape}")
    finite = np.isfinite(out)
    if not finite.all():
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        warned = f" (with {returned.warnings[0]})" if returned.warnings else ""
        raise CheckFailed(f"{_HUGE_LABEL}: out[{index[0]}, {index[1]}] is {out[index]} at "
                          f"x = {_HUGE[index]:g}{warned}; it must be finite: {_STABLE_HINT}")
    if returned.warnings:
        more = f" and {len(returned.warnings) - 1} more" if len(returned.warnings) > 1 else ""
        raise CheckFailed(f"sigmoid_forward on {_HUGE_LABEL} warned: {returned.warnings[0]}{more}; it must "
                          f"run without warnings: {_STABLE_HINT}")
    expected, _ = session.reference_call("sigmoid_forward", _HUGE)
    mismatch = compare_arrays("out", expected, out)
    if mismatch:
        raise CheckFailed(f"{_HUGE_LABEL}: {mismatch.describe()} (sigmoid(1000) is 1.0 and "
                          f"sigmoid(-1000) is 0.0)")


# -- known mistakes -------------------------------------------------------------

def _relu_backward_zeroes_dout(session: Session) -> bool:
    """relu_backward masked the caller's dout in place: dout comes back as the gradient."""
    rng = session.rng("mistake", "relu backward in place")
    x = _away_from_zero(rng, {"x": (3, 4)})["x"]
    dout = rng.standard_normal(x.shape)
    forward = session.call("relu_forward", x, send=())
    after = session.call("relu_backward", dout, forward.ref[1], send=(), return_args=True).args_after[0][0]
    return (isinstance(after, np.ndarray) and after.shape == dout.shape and not np.array_equal(after, dout)
            and compare_arrays("dout", np.where(x > 0, dout, 0.0), after) is None)


def _sigmoid_derivative_of_input(dout, out):
    x = np.log(out) - np.log1p(-out)  # the input back from the reference's cached output
    return dout * x * (1 - x)


MISTAKES = (
    KnownMistake("relu backward zeroes dout in place",
                 "Your relu_backward writes the gradient into the caller's dout (dout[x <= 0] = 0): build a "
                 "new array instead, np.where(x > 0, dout, 0.0) or dout * (x > 0).",
                 _relu_backward_zeroes_dout),
    layer_mistake(RELU, "relu gradient 1 at 0",
                  "Your dx passes dout through where x is exactly 0, as x >= 0 does: the gradient at the kink "
                  "is 0 by convention, so mask with x > 0.",
                  backward=lambda dout, x: np.where(x >= 0, dout, 0.0)),
    layer_mistake(SIGMOID, "sigmoid derivative taken at x",
                  "Your dx is dout * x * (1 - x), the formula applied to the input: sigmoid' is s * (1 - s) "
                  "with s = sigmoid(x), so cache the output and use it.",
                  backward=_sigmoid_derivative_of_input),
    layer_mistake(TANH, "tanh derivative taken at x",
                  "Your dx is dout * (1 - x**2), the formula applied to the input: tanh' is 1 - t**2 with "
                  "t = tanh(x), so cache the output and use it.",
                  backward=lambda dout, out: dout * (1 - np.arctanh(out) ** 2)),
)


# -- speed ----------------------------------------------------------------------

def _speed(session: Session) -> Speed:
    x = session.rng("speed").standard_normal(SPEED_SHAPE)
    runs = [reference_pass(session.reference, layer.forward, layer.backward, x) for layer in LAYERS]
    stored_x = session.learner.put(x, "x")
    shape = "x".join(str(n) for n in SPEED_SHAPE)
    return measure_speed(
        session, f"relu, sigmoid and tanh, forward + backward, on x {shape}", lambda: [run() for run in runs],
        lambda: sum(learner_pass(session, layer.forward, layer.backward, stored_x) for layer in LAYERS))


# Each layer's rows come sorted by group; a stable sort of all of them keeps
# relu, sigmoid, tanh in that order within every group.
_ROWS = (layer_checks(RELU, prefix="relu ")
         + layer_checks(SIGMOID, (Check("sigmoid stable at +-1000", "edge", _sigmoid_stable),), prefix="sigmoid ")
         + layer_checks(TANH, prefix="tanh "))

KATA = Kata(
    name="activations",
    title="ReLU, sigmoid and tanh forward and backward (kink at 0, stable sigmoid)",
    functions=("relu_forward", "relu_backward", "sigmoid_forward", "sigmoid_backward",
               "tanh_forward", "tanh_backward"),
    checks=tuple(sorted(_ROWS, key=lambda check: GROUPS.index(check.group))),
    speed=_speed,
    hints=(
        "Each backward multiplies dout, element by element, by the derivative of its forward; think about "
        "what each forward should cache so that this derivative is cheap and exact.",
        "ReLU caches x and lets dout through where x > 0, in a new array. Sigmoid and tanh cache their "
        "output and write the derivative from it; for a stable sigmoid, only ever take exp of -|x|.",
        "relu: dx = dout * (x > 0); sigmoid: dx = dout * s * (1 - s) with s = sigmoid(x); tanh: "
        "dx = dout * (1 - t**2) with t = tanh(x).",
    ),
    mistakes=MISTAKES,
)
