"""lstm: an LSTM cell (lstm_step_*) and a whole sequence (lstm_*), forward and backward, gate order i, f, g, o.

Two layers in one kata. The step has two outputs, next_h and next_c, and its backward two upstream gradients
(Layer.outputs): its numerical gradients are of sum(next_h * dnext_h + next_c * dnext_c). Inputs are scaled as an
initialised LSTM's (weights ~ 1/sqrt(fan_in)) so that no gate saturates and every path, through every step, shows.
Every two of N, T, D and H differ in some case (the step's first case has N, D, H all different), so that a
transposed weight or a gate block of the wrong width shows as a shape. Small: numerical gradients cover every
element (the step's two outputs cost a perturbation pass each).
"""
import numpy as np

from grader.authoring.kata import KnownMistake
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake, layer_speed
from grader.checks.compare import compare_arrays
from grader.checks.session import Session
from grader.specs._recurrent import sequence_mistakes


def _make(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x N(0, 1), the states N(0, 0.5**2), weights N(0, 1/fan_in), b N(0, 0.1**2)."""
    scale = {"x": 1.0, "prev_h": 0.5, "prev_c": 0.5, "h0": 0.5, "b": 0.1}
    return {name: rng.standard_normal(shape) * scale.get(name, 1 / np.sqrt(shape[0])) for name, shape in shapes.items()}


def _step(name: str, n: int, d: int, h: int) -> Case:
    return Case(name, {"x": (n, d), "prev_h": (n, h), "prev_c": (n, h), "Wx": (d, 4 * h), "Wh": (h, 4 * h),
                       "b": (4 * h,)}, make=_make)


def _sequence(name: str, n: int, t: int, d: int, h: int) -> Case:
    return Case(name, {"x": (n, t, d), "h0": (n, h), "Wx": (d, 4 * h), "Wh": (h, 4 * h), "b": (4 * h,)}, make=_make)


STEP = Layer(
    forward="lstm_step_forward", backward="lstm_step_backward", outputs=("next_h", "next_c"),
    inputs=("x", "prev_h", "prev_c", "Wx", "Wh", "b"),
    cases=(_step("N=3, D=4, H=2", 3, 4, 2), _step("N=4, D=2, H=3", 4, 2, 3)),
    edges=(Edge("N = 1", _step("one example", 1, 3, 2), why="db sums over a batch of one"),
           Edge("H = 1", _step("one unit", 3, 2, 1), why="each gate is one column of the (N, 4) pre-activations")),
    dims={"x": "N D", "prev_h": "N H", "Wx": "D G", "out": "N H"}, backward_twice=True)
SEQUENCE = Layer(
    forward="lstm_forward", backward="lstm_backward", outputs=("h",), inputs=("x", "h0", "Wx", "Wh", "b"),
    cases=(_sequence("N=2, T=3, D=3, H=2", 2, 3, 3, 2), _sequence("N=3, T=2, D=4, H=2", 3, 2, 4, 2)),
    edges=(Edge("T = 1", _sequence("one step", 2, 1, 3, 2), why="one step from c0 = 0: h[:, 0] is lstm_step_forward's "
                "next_h at prev_c = 0"),
           Edge("N = 1", _sequence("one example", 1, 2, 3, 2), why="a batch of one")),
    speed_case=_sequence("speed", 16, 8, 20, 24),
    dims={"x": "N T D", "h0": "N H", "Wx": "D G", "out": "N T H"}, backward_twice=True)


def _cs231n_order(reference, x, prev_h, prev_c, Wx, Wh, b):
    """The step with the gates read in CS231n's order i, f, o, g: PyTorch's blocks 2 and 3 swapped."""
    H = prev_h.shape[1]
    swap = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
    return reference.lstm_step_forward(x, prev_h, prev_c, Wx[:, swap], Wh[:, swap], b[swap])[:2]


def _one_path(reference, right, douts, x, prev_h, prev_c, Wx, Wh, b, keep_direct=True):
    """lstm_step_backward with dc = dnext_c alone (keep_direct) or dnext_h's path alone: the gradients of the
    forward for the upstream pair (dnext_h, dnext_c) with the lost path's contribution to dc removed."""
    dnext_h, dnext_c = douts
    next_h, next_c, cache = reference.lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
    i, f, g, o, tanh_c = cache[5:]
    through_h = dnext_h * o * (1 - tanh_c ** 2)
    # dc's only use is through dnext_c, so the lost path is the same gradient as an upstream dnext_c of -through_h
    # (or of -dnext_c), with dnext_h kept for do.
    fix = -through_h if keep_direct else -dnext_c
    return reference.lstm_step_backward(dnext_h, dnext_c + fix, cache)


def _returns_dc0(session: Session) -> bool:
    """lstm_backward returned six arrays, (dx, dh0, dc0, dWx, dWh, db), the others right."""
    rng = session.rng("mistake", "dc0")
    arrays = _make(rng, SEQUENCE.cases[0].shapes)
    dh = rng.standard_normal(arrays["x"].shape[:2] + arrays["h0"].shape[1:])
    forward = session.call("lstm_forward", *arrays.values(), send=())
    value = session.call("lstm_backward", dh, forward.ref[1]).value
    if not isinstance(value, (tuple, list)) or len(value) != 6:
        return False
    right = session.reference.lstm_backward(dh, session.reference_call("lstm_forward", *arrays.values())[1])
    return all(isinstance(got, np.ndarray) and got.shape == want.shape and compare_arrays("d", want, got) is None
               for got, want in zip(value[:2] + value[3:], right))


def _c0_is_h0(reference, x, h0, Wx, Wh, b):
    """h of an LSTM whose cell state starts at h0 instead of zeros."""
    h, c, states = h0, h0, []
    for t in range(x.shape[1]):
        h, c, _ = reference.lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        states.append(h)
    return np.stack(states, axis=1)


MISTAKES = (
    layer_mistake(STEP, "gate order i, f, o, g (CS231n's)",
                  "Your gates are read in the order i, f, o, g, CS231n's assignment's: this kata uses PyTorch's "
                  "nn.LSTM order i, f, g, o, so a[:, 2H:3H] is the cell candidate g (tanh) and a[:, 3H:4H] the "
                  "output gate o (sigmoid); the same order in backward's da.",
                  forward=_cs231n_order),
    layer_mistake(STEP, "dnext_c not combined with the path through next_h",
                  "Your dc keeps only one of the two ways next_c reaches the loss: directly (dnext_c) and through "
                  "next_h = o * tanh(next_c). They add up: dc = dnext_c + dnext_h * o * (1 - tanh(next_c)**2).",
                  gradients=(_one_path, lambda *args: _one_path(*args, keep_direct=False))),
    KnownMistake("c0 treated as an input with a gradient",
                 "Your lstm_backward returns six arrays, a dc0 among them: c0 is a constant zero that lstm_forward "
                 "makes, not an input, so lstm_backward returns (dx, dh0, dWx, dWh, db) and drops the final dprev_c.",
                 _returns_dc0),
    *sequence_mistakes(SEQUENCE),
    layer_mistake(SEQUENCE, "cell state started at h0",
                  "Your cell state starts at h0: lstm_forward takes no c0, and the cell state starts at zeros "
                  "(c_{-1} = 0, as PyTorch's nn.LSTM given no initial state); only the hidden state starts at h0.",
                  forward=_c0_is_h0),
)

KATA = layer_kata(
    STEP, SEQUENCE, name="lstm", title="LSTM: a cell and a sequence, forward and backprop through time (i, f, g, o)",
    mistakes=MISTAKES, speed=layer_speed(SEQUENCE),
    hints=(
        "Write the cell first: one matrix product gives all four gates' pre-activations, side by side in the "
        "order i, f, g, o. In backward, ask how many ways next_c reaches the loss.",
        "Forward: a = x @ Wx + prev_h @ Wh + b, sliced into four H-wide blocks, sigmoid for i, f, o and tanh for "
        "g; cache the gates' outputs and tanh(next_c). Backward: dc from both paths, then each gate's gradient, "
        "then da (N, 4H) in the same block order, then a linear layer's backward. The sequence loops the cell "
        "from c0 = 0 and back, carrying dprev_h and dprev_c, summing the weights' gradients.",
        "dc = dnext_c + dnext_h * o * (1 - tanh(c)**2); do = dnext_h * tanh(c); di = dc * g; df = dc * prev_c; "
        "dg = dc * i; dprev_c = dc * f; da = concat([di*i*(1-i), df*f*(1-f), dg*(1-g**2), do*o*(1-o)], axis=1).",
    ),
)
