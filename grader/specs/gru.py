"""gru: a GRU with PyTorch's equations (gate order r, z, n; two biases), one step (gru_step_*) and a whole sequence
(gru_*), forward and backward.

Two layers in one kata. Inputs are scaled as an initialised GRU's (weights ~ 1/sqrt(fan_in)), with biases large
enough (N(0, 0.5**2)) that where bh's n block goes (inside or outside r) shows in the values. Every two of N, T, D
and H differ in some case (the step's first case has N, D, H all different), so that a transposed weight or a gate
block of the wrong width shows as a shape. Small: numerical gradients cover every element.
"""
import numpy as np

from grader.authoring.kata import either_mistake
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake, layer_speed
from grader.specs._recurrent import sequence_mistakes


def _make(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x N(0, 1), the state N(0, 0.5**2), weights N(0, 1/fan_in), the biases N(0, 0.5**2)."""
    scale = {"x": 1.0, "prev_h": 0.5, "h0": 0.5, "bx": 0.5, "bh": 0.5}
    return {name: rng.standard_normal(shape) * scale.get(name, 1 / np.sqrt(shape[0])) for name, shape in shapes.items()}


def _weights(d: int, h: int) -> dict:
    return {"Wx": (d, 3 * h), "Wh": (h, 3 * h), "bx": (3 * h,), "bh": (3 * h,)}


def _step(name: str, n: int, d: int, h: int) -> Case:
    return Case(name, {"x": (n, d), "prev_h": (n, h), **_weights(d, h)}, make=_make)


def _sequence(name: str, n: int, t: int, d: int, h: int) -> Case:
    return Case(name, {"x": (n, t, d), "h0": (n, h), **_weights(d, h)}, make=_make)


STEP = Layer(
    forward="gru_step_forward", backward="gru_step_backward", outputs=("next_h",),
    inputs=("x", "prev_h", "Wx", "Wh", "bx", "bh"),
    cases=(_step("N=3, D=4, H=2", 3, 4, 2), _step("N=4, D=2, H=3", 4, 2, 3)),
    edges=(Edge("N = 1", _step("one example", 1, 3, 2), why="dbx and dbh sum over a batch of one"),
           Edge("H = 1", _step("one unit", 3, 2, 1), why="each gate is one column of the (N, 3) pre-activations")),
    dims={"x": "N D", "prev_h": "N H", "Wx": "D G", "out": "N H"}, backward_twice=True)
SEQUENCE = Layer(
    forward="gru_forward", backward="gru_backward", outputs=("h",),
    inputs=("x", "h0", "Wx", "Wh", "bx", "bh"),
    cases=(_sequence("N=2, T=3, D=3, H=2", 2, 3, 3, 2), _sequence("N=3, T=2, D=4, H=2", 3, 2, 4, 2)),
    edges=(Edge("T = 1", _sequence("one step", 2, 1, 3, 2), why="one step: h[:, 0] is gru_step_forward's next_h"),
           Edge("N = 1", _sequence("one example", 1, 2, 3, 2), why="a batch of one")),
    speed_case=_sequence("speed", 16, 8, 24, 32),
    dims={"x": "N T D", "h0": "N H", "Wx": "D G", "out": "N T H"}, backward_twice=True)


def _sigmoid(v):
    return 0.5 * (1 + np.tanh(0.5 * v))


def _gru_step(x, prev_h, Wx, Wh, bx, bh, r_outside=False, z_swapped=False, no_bh=False):
    """next_h of one step with one of the mistakes: r applied outside (r * (h Wh_n) + bh_n), z's role swapped, or
    bh left out."""
    H = prev_h.shape[1]
    bh = np.zeros_like(bh) if no_bh else bh
    ax, ah = x @ Wx + bx, prev_h @ Wh
    r, z = _sigmoid(ax[:, :H] + ah[:, :H] + bh[:H]), _sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H] + bh[H:2 * H])
    hidden = r * ah[:, 2 * H:] + bh[2 * H:] if r_outside else r * (ah[:, 2 * H:] + bh[2 * H:])
    n = np.tanh(ax[:, 2 * H:] + hidden)
    return z * n + (1 - z) * prev_h if z_swapped else (1 - z) * n + z * prev_h


def _dbh_is_dbx(reference, right, dout, *arrays):
    """The right gradients but dbh = dbx (wrong on n's block, where r gates bh)."""
    return (*right[:5], right[4])


MISTAKES = (
    layer_mistake(STEP, "reset gate applied outside the hidden bias",
                  "Your n is tanh(x Wx_n + bx_n + r * (h Wh_n) + bh_n): PyTorch's GRU (and this kata) gates the "
                  "hidden side with its bias, n = tanh(x Wx_n + bx_n + r * (h Wh_n + bh_n)); that is why it has two "
                  "biases.",
                  forward=lambda reference, *arrays: _gru_step(*arrays, r_outside=True)),
    layer_mistake(STEP, "update gate's role swapped",
                  "Your next_h is z * n + (1 - z) * prev_h: in PyTorch's GRU z weighs the OLD state, "
                  "next_h = (1 - z) * n + z * prev_h (z = 1 keeps prev_h).",
                  forward=lambda reference, *arrays: _gru_step(*arrays, z_swapped=True)),
    either_mistake(
        "one bias instead of two",
        "Your GRU treats bx and bh as one bias: bh left out, or dbh copied from dbx. They are two: bh's n block "
        "sits inside r * (h Wh_n + bh_n), so dbh[n] = sum of dn_pre * r while dbx[n] = sum of dn_pre.",
        layer_mistake(STEP, "bh left out", "", forward=lambda reference, *arrays: _gru_step(*arrays, no_bh=True)),
        layer_mistake(STEP, "dbh = dbx", "", gradients=_dbh_is_dbx)),
    layer_mistake(STEP, "direct path z * dnext_h missing from dprev_h",
                  "Your dprev_h has only the paths through the gates: next_h = (1 - z) * n + z * prev_h also "
                  "reads prev_h directly, which adds dnext_h * z.",
                  gradients=lambda reference, right, dout, x, prev_h, Wx, Wh, bx, bh: (
                      right[0], right[1] - dout * reference.gru_step_forward(x, prev_h, Wx, Wh, bx, bh)[1][5],
                      *right[2:])),
    *sequence_mistakes(SEQUENCE),
)

KATA = layer_kata(
    STEP, SEQUENCE, name="gru", title="GRU (PyTorch's equations): a step and a sequence, forward and backprop through "
    "time", mistakes=MISTAKES, speed=layer_speed(SEQUENCE),
    hints=(
        "Write the step first. Keep the input side (x @ Wx + bx) and the hidden side (h @ Wh + bh) apart: they "
        "add for r and z, but r multiplies only the hidden side of n. In backward, count the ways prev_h reaches "
        "next_h.",
        "Forward: ax = x @ Wx + bx, ah = prev_h @ Wh + bh; r, z from the sums of their blocks; n = tanh(ax_n + "
        "r * ah_n); next_h = (1 - z) * n + z * prev_h. Backward: dn, dz from next_h; through tanh; r's gradient "
        "from ah_n; then the input side's and the hidden side's (N, 3H) gradients, which differ only in n's "
        "block; the sequence as an RNN's, carrying dprev_h and summing.",
        "dz = dh * (prev_h - n); dan = dh * (1 - z) * (1 - n**2); dar = dan * ah_n * r * (1 - r); "
        "daz = dz * z * (1 - z); dax = [dar, daz, dan]; dah = [dar, daz, dan * r]; "
        "dprev_h = dh * z + dah @ Wh.T; dbx = dax.sum(0); dbh = dah.sum(0).",
    ),
)
