"""gelu: GELU (exact, and PyTorch's tanh approximation) and SiLU, forward and backward, on arrays of any shape.

Two layers in one kata, as activations: each gets the standard layer rows, named after it ("gelu forward
values"), on small x of 1, 2 and 3 dimensions; GELU's with approximate="none" (passed, and left out for the
default) and "tanh", so a form that ignores the keyword fails where the other is asked for. The edge rows hold
the contract's promises: an unknown approximate raises ValueError, and SiLU at +-1000 is finite with no warning.
Every backward returns fresh arrays: the deterministic rows call it twice with one cache (backward_twice).
"""
import math

import numpy as np

from grader.authoring.kata import KnownMistake
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.compare import compare_arrays
from grader.checks.contrast import Feature
from grader.checks.session import Session

_erf = np.vectorize(math.erf, otypes=[np.float64])
_SHAPES = {"1-D x": (7,), "2-D x": (3, 4), "3-D x": (2, 3, 4)}  # small: numerical gradients cover every element
_STABLE_X = np.array([[-1e3, -50, -1, 0], [0.5, 3, 50, 1e3]])


def _gate(x, approximate="none"):
    """g in out = x * g(x): Phi(x), or its tanh approximation."""
    if approximate == "tanh":
        return 0.5 * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * (1 + _erf(x / math.sqrt(2)))


GELU = Layer(
    forward="gelu_forward", backward="gelu_backward", inputs=("x",), backward_twice=True,
    cases=(Case("1-D x, approximate left out", {"x": _SHAPES["1-D x"]}),
           *(Case(f'{label}, approximate="none"', {"x": shape}, {"approximate": "none"})
             for label, shape in list(_SHAPES.items())[1:]),
           *(Case(f'{label}, approximate="tanh"', {"x": shape}, {"approximate": "tanh"})
             for label, shape in _SHAPES.items())),
    edges=(Edge("unknown approximate raises ValueError",
                Case('approximate="erf"', {"x": (3, 4)}, {"approximate": "erf"}),
                why='an approximate that is neither "none" nor "tanh" (a typo must not silently pick a form)',
                raises="ValueError"),),
    speed_case=Case("speed", {"x": (64, 128)}),
    features=(Feature('approximate="tanh"', lambda case: case.params.get("approximate") == "tanh",
                      negation='approximate="none"'),
              Feature("approximate is left out (the default)", lambda case: "approximate" not in case.params,
                      negation="approximate is passed")),
)
SILU = Layer(
    forward="silu_forward", backward="silu_backward", inputs=("x",), backward_twice=True,
    cases=tuple(Case(label, {"x": shape}) for label, shape in _SHAPES.items()),
    edges=(Edge("stable at +-1000", Case("x = [[-1000, -50, -1, 0], [0.5, 3, 50, 1000]]", {"x": (2, 4)},
                                         make=lambda rng, shapes: {"x": _STABLE_X.copy()}),
                why="silu(1000) is 1000.0 and silu(-1000) is 0.0", gradients="none",
                clean="take exp only of numbers <= 0: with e = exp(-|x|), sigmoid(x) = 1/(1 + e) where x >= 0 and "
                      "e/(1 + e) where x < 0 (np.where computes both branches on every element, so mask before exp)"),),
)


def _silu_overflows(session: Session) -> bool:
    """silu_forward gets +-1000 right, but only after an exp overflowed with a warning (x / (1 + exp(-x)))."""
    returned = session.call("silu_forward", _STABLE_X.copy(), send=(0,))
    out = returned.value[0] if isinstance(returned.value, tuple) else None
    right = session.reference_call("silu_forward", _STABLE_X)[0]
    return (any("overflow" in warning for warning in returned.warnings) and isinstance(out, np.ndarray)
            and out.shape == right.shape and compare_arrays("out", right, out, 1e3) is None)


KATA = layer_kata(
    GELU, SILU, name="gelu", workload="gelu and silu, forward + backward, on x 64x128",
    title="GELU (exact and tanh) and SiLU forward and backward (any shape, stable SiLU)",
    mistakes=(
        layer_mistake(GELU, "gelu form not chosen by approximate",
                      'Your gelu_forward computes one form whatever approximate says (or the two swapped): "none" is '
                      'the exact x * Phi(x) with erf, "tanh" is PyTorch\'s tanh formula, and they differ by up to '
                      "5e-4, far beyond the tolerance.",
                      forward=(lambda reference, x, approximate="none": reference.gelu_forward(x, "tanh")[0],
                               lambda reference, x, approximate="none": reference.gelu_forward(x, "none")[0],
                               lambda reference, x, approximate="none": reference.gelu_forward(
                                   x, "tanh" if approximate == "none" else "none")[0])),
        layer_mistake(GELU, "Phi without the 1/sqrt(2)",
                      "Your exact GELU is x * 0.5 * (1 + erf(x)), the CDF of a normal of variance 1/2: the standard "
                      "normal CDF is Phi(x) = 0.5 * (1 + erf(x / sqrt(2))).",
                      forward=lambda reference, x, approximate="none": (
                          x * 0.5 * (1 + _erf(x)) if approximate == "none" else reference.gelu_forward(x, "tanh")[0])),
        layer_mistake(GELU, "gelu derivative missing x * g'(x)",
                      "Your dx is dout * Phi(x) (or dout * 0.5 * (1 + t) for tanh), the derivative of x * g(x) as "
                      "if g were a constant: the product rule adds x * g'(x), with g' = exp(-x**2/2)/sqrt(2*pi) "
                      "for the exact form.",
                      gradients=(lambda reference, right, dout, x, approximate="none": dout * _gate(x, approximate),
                                 lambda reference, right, dout, x, approximate="none": (
                                     dout * _gate(x) if approximate == "none" else right[0]),
                                 lambda reference, right, dout, x, approximate="none": (
                                     dout * _gate(x, "tanh") if approximate == "tanh" else right[0]))),
        layer_mistake(SILU, "silu derivative sigmoid alone",
                      "Your dx is dout * sigmoid(x), as if out were sigmoid(x) * a constant: out = x * s(x), so by "
                      "the product rule dx = dout * (s + x * s * (1 - s)).",
                      gradients=lambda reference, right, dout, x: dout * 0.5 * (1 + np.tanh(x / 2))),
        KnownMistake("silu exp overflows",
                     "Your silu_forward gets +-1000 right, but only after exp overflowed to inf with a RuntimeWarning "
                     "(exp(-x) at x = -1000, or exp(x) at 1000 in a np.where branch not taken): take exp only of "
                     "-|x|, as a stable sigmoid does.", _silu_overflows),
    ),
    hints=(
        "Both are x times a gate g(x), the normal CDF for GELU and the sigmoid for SiLU; backward is the "
        "product rule, so dx has two terms.",
        "Forward: compute the gate (GELU: math.erf elementwise at x/sqrt(2), or the tanh formula, and a "
        "ValueError for any other approximate; SiLU: a stable sigmoid from exp(-|x|)) and cache what backward "
        "needs. Backward: dx = dout * (g + x * g'), a new array.",
        "exact: g = 0.5*(1 + erf(x/sqrt(2))), g' = exp(-x**2/2)/sqrt(2*pi); tanh: t = tanh(sqrt(2/pi)*(x + "
        "0.044715*x**3)), g = 0.5*(1 + t), g' = 0.5*(1 - t**2)*sqrt(2/pi)*(1 + 3*0.044715*x**2); SiLU: g = s, "
        "g' = s*(1 - s).",
    ),
)
