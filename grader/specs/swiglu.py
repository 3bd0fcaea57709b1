"""swiglu: the SwiGLU feed-forward block of LLaMA, (silu(x @ w_gate) * (x @ w_up)) @ w_down, forward and backward.

x of 2 and 3 dimensions in the cases (the weight gradients sum over every leading axis); D != H throughout, so
that a transposed weight shows as a shape; edges at N = 1 and H = 1. Every backward returns fresh arrays:
backward is called twice with one cache (backward_twice).
"""
import numpy as np

from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.contrast import Feature


def _case(name: str, x: tuple[int, ...], h: int) -> Case:
    d = x[-1]
    return Case(name, {"x": x, "w_gate": (d, h), "w_up": (d, h), "w_down": (h, d)})


# Small, so that numerical gradients cover every element of every input.
LAYER = Layer(
    forward="swiglu_forward", backward="swiglu_backward", inputs=("x", "w_gate", "w_up", "w_down"),
    cases=(_case("2-D x", x=(4, 5), h=3), _case("3-D x", x=(2, 3, 4), h=6)),
    edges=(
        Edge("N = 1", _case("one sequence, 3-D x", x=(1, 4, 3), h=5),
             why="every leading axis of x is a batch axis, whatever its size: out is (1, T, D) and the weight "
                 "gradients still sum over the T positions"),
        Edge("H = 1", _case("one hidden unit", x=(5, 3), h=1),
             why="hidden is (N, 1) and w_down (1, D): keep the axis of size 1 (no squeeze), dw_down is (1, D)"),
    ),
    # About a millisecond of the reference, every product below OpenBLAS's threading threshold (m*n*k < 262144; see
    # linear): 768 positions, D = 10, H = 32.
    speed_case=_case("speed", x=(24, 32, 10), h=32),
    dims={"x": "N", "w_gate": "D H", "w_up": "D H", "w_down": "H D", "out": "N"},
    features=(Feature("x is 3-D", lambda case: len(case.shapes["x"]) == 3, negation="x is 2-D"),),
    backward_twice=True,
)


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


def _flat(a):
    return a.reshape(-1, a.shape[-1])


def _parts(x, w_gate, w_up, w_down, dout):
    """gate, up, sigmoid(gate) and dhidden: the intermediates every buggy backward starts from."""
    gate, up = x @ w_gate, x @ w_up
    return gate, up, _sigmoid(gate), dout @ w_down.T


def _dx_one_path(through):
    def gradients(reference, right, dout, x, w_gate, w_up, w_down):
        gate, up, s, dhidden = _parts(x, w_gate, w_up, w_down, dout)
        dgate, dup = dhidden * up * s * (1 + gate * (1 - s)), dhidden * gate * s
        return (dgate @ w_gate.T if through == "gate" else dup @ w_up.T), *right[1:]
    return gradients


def _axis0_only(reference, right, dout, x, w_gate, w_up, w_down):
    """The weight gradients summed over axis 0 only: (T, D, H) for a 3-D x, right for a 2-D x."""
    gate, up, s, dhidden = _parts(x, w_gate, w_up, w_down, dout)
    dgate, dup, hidden = dhidden * up * s * (1 + gate * (1 - s)), dhidden * gate * s, gate * s * up
    outer = lambda a, b: np.einsum("n...i,n...j->...ij", a, b)  # noqa: E731
    return right[0], outer(x, dgate), outer(x, dup), outer(hidden, dout)


def _silu_derivative_sigmoid(reference, right, dout, x, w_gate, w_up, w_down):
    """silu'(gate) taken as sigmoid(gate): dx and dw_gate wrong, dw_up and dw_down right."""
    gate, up, s, dhidden = _parts(x, w_gate, w_up, w_down, dout)
    dgate, dup = dhidden * up * s, dhidden * gate * s
    return dgate @ w_gate.T + dup @ w_up.T, _flat(x).T @ _flat(dgate), *right[2:]


MISTAKES = (
    layer_mistake(LAYER, "gate and up swapped",
                  "Your output is (silu(x @ w_up) * (x @ w_gate)) @ w_down: silu belongs on the gate projection, "
                  "hidden = silu(x @ w_gate) * (x @ w_up).",
                  forward=lambda reference, x, w_gate, w_up, w_down:
                  ((x @ w_up) * _sigmoid(x @ w_up) * (x @ w_gate)) @ w_down),
    layer_mistake(LAYER, "sigmoid instead of silu",
                  "Your gate is sigmoid(x @ w_gate), the original GLU: SwiGLU's gate is silu(g) = g * sigmoid(g).",
                  forward=lambda reference, x, w_gate, w_up, w_down: (_sigmoid(x @ w_gate) * (x @ w_up)) @ w_down),
    layer_mistake(LAYER, "dx missing a path",
                  "Your dx follows only one of the two projections: x feeds both the gate and up, so "
                  "dx = dgate @ w_gate.T + dup @ w_up.T.",
                  gradients=(_dx_one_path("gate"), _dx_one_path("up"))),
    layer_mistake(LAYER, "weight gradients summed over axis 0 only",
                  "For a 3-D x your weight gradients are (T, D, H), summed over axis 0 only: every position "
                  "shares the weights, so sum over every leading axis, x.reshape(-1, D).T @ dgate.reshape(-1, H).",
                  gradients=_axis0_only),
    layer_mistake(LAYER, "silu derivative taken as sigmoid",
                  "Your dgate uses sigmoid(gate) as silu's derivative: silu(g) = g * sigmoid(g) is a product, "
                  "so silu'(g) = s * (1 + g * (1 - s)) with s = sigmoid(g).",
                  gradients=_silu_derivative_sigmoid),
)

KATA = layer_kata(
    LAYER, name="swiglu", title="SwiGLU feed-forward block forward and backward (x of shape (..., D))",
    mistakes=MISTAKES,
    hints=(
        "Name every intermediate of the forward (gate, up, hidden) and cache them; backward walks the same steps "
        "in reverse. Note that x feeds two projections, and that the weights are shared by every position.",
        "Forward: gate = x @ w_gate, up = x @ w_up, hidden = silu(gate) * up, out = hidden @ w_down. Backward: "
        "dhidden = dout @ w_down.T, split by the product rule into dgate and dup; dx adds both paths; each weight "
        "gradient is one product over all positions, after reshaping the leading axes into one.",
        "With s = sigmoid(gate): silu'(gate) = s * (1 + gate * (1 - s)); dgate = dhidden * up * silu'(gate), "
        "dup = dhidden * gate * s; dx = dgate @ w_gate.T + dup @ w_up.T; dw_gate = x2.T @ dgate2, "
        "dw_up = x2.T @ dup2, dw_down = hidden2.T @ dout2, where a2 = a.reshape(-1, a.shape[-1]).",
    ),
)
