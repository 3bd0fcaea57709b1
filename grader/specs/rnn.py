"""rnn: a vanilla tanh RNN, one step (rnn_step_*) and a whole sequence (rnn_*), forward and backward.

Two layers in one kata, as activations declares three: each gets the standard rows, named after it. The inputs are
scaled as an initialised RNN's (weights ~ 1/sqrt(fan_in)) so that tanh is neither linear nor saturated and every
gradient, through every step, is large enough to tell a mistake; N, T, D and H differ so that a transposed weight
or a sum over the wrong axis shows as a shape. Small: numerical gradients cover every element.
"""
import numpy as np

from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake, layer_speed
from grader.specs._recurrent import sequence_mistakes


def _make(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x and the hidden state N(0, 1) (0.5 for the state), weights N(0, 1/fan_in), b N(0, 0.1**2)."""
    scale = {"x": 1.0, "prev_h": 0.5, "h0": 0.5, "b": 0.1}
    return {name: rng.standard_normal(shape) * scale.get(name, 1 / np.sqrt(shape[0])) for name, shape in shapes.items()}


def _step(name: str, n: int, d: int, h: int) -> Case:
    return Case(name, {"x": (n, d), "prev_h": (n, h), "Wx": (d, h), "Wh": (h, h), "b": (h,)}, make=_make)


def _sequence(name: str, n: int, t: int, d: int, h: int) -> Case:
    return Case(name, {"x": (n, t, d), "h0": (n, h), "Wx": (d, h), "Wh": (h, h), "b": (h,)}, make=_make)


STEP = Layer(
    forward="rnn_step_forward", backward="rnn_step_backward", outputs=("next_h",),
    inputs=("x", "prev_h", "Wx", "Wh", "b"),
    cases=(_step("N=3, D=4, H=5", 3, 4, 5), _step("N=4, D=6, H=3", 4, 6, 3)),
    edges=(Edge("N = 1", _step("one example", 1, 4, 3), why="db sums over a batch of one; dx is (1, D)"),
           Edge("square Wx (D = H)", _step("D = H = 4", 3, 4, 4),
                why="Wx is (D, H) and multiplies on the right: with D = H a transposed Wx still fits")),
    dims={"x": "N D", "prev_h": "N H", "Wx": "D H", "out": "N H"}, backward_twice=True)
SEQUENCE = Layer(
    forward="rnn_forward", backward="rnn_backward", outputs=("h",),
    inputs=("x", "h0", "Wx", "Wh", "b"),
    cases=(_sequence("N=2, T=3, D=5, H=4", 2, 3, 5, 4), _sequence("N=3, T=2, D=4, H=5", 3, 2, 4, 5)),
    edges=(Edge("T = 1", _sequence("one step", 2, 1, 3, 4), why="one step: h[:, 0] is rnn_step_forward's next_h"),
           Edge("N = 1", _sequence("one example", 1, 3, 4, 3), why="a batch of one"),
           Edge("square Wx (D = H)", _sequence("D = H = 3", 2, 3, 3, 3),
                why="Wx is (D, H) and multiplies on the right: with D = H a transposed Wx still fits")),
    speed_case=_sequence("speed", 16, 16, 24, 32),
    dims={"x": "N T D", "h0": "N H", "Wx": "D H", "out": "N T H"}, backward_twice=True)


def _bptt(reference, dh, x, h0, Wx, Wh, b, carry=True, only_last=False, overwrite=False, overwrite_db=True):
    """rnn_backward with one of its mistakes: no dprev carried back, the upstream only at the last step, or the
    weights' gradients overwritten each step (so that those of step 0 are left; db too unless not overwrite_db)."""
    _, caches = reference.rnn_forward(x, h0, Wx, Wh, b)
    dx, dprev = np.empty_like(x), np.zeros_like(h0)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in reversed(range(x.shape[1])):
        upstream = dh[:, t] if not only_last or t == x.shape[1] - 1 else 0.0
        dx[:, t], dprev_t, dWx_t, dWh_t, db_t = reference.rnn_step_backward(upstream + (dprev if carry else 0.0),
                                                                            caches[t])
        dprev = dprev_t
        dWx, dWh = (dWx_t, dWh_t) if overwrite else (dWx + dWx_t, dWh + dWh_t)
        db = db_t if overwrite and overwrite_db else db + db_t
    return dx, dprev, dWx, dWh, db


def _linear_backward(da, x, prev_h, Wx, Wh):
    """The step's gradients for da, the gradient of its pre-activation."""
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


MISTAKES = (
    layer_mistake(SEQUENCE, "gradient through time not carried back",
                  "Your backward does not add the gradient that flows back through time: h[:, t] feeds the loss "
                  "(dh[:, t]) AND step t+1, so step t's backward takes dh[:, t] + dprev_h, with dprev_h what "
                  "step t+1's backward returned (0 after the last step), and dh0 is the dprev_h left after "
                  "step 0. Using dh[:, t] alone, or the upstream of the last step alone, drops one of the paths.",
                  gradients=(lambda reference, right, dout, *arrays: _bptt(reference, dout, *arrays, carry=False),
                             lambda reference, right, dout, *arrays: _bptt(reference, dout, *arrays, only_last=True))),
    layer_mistake(SEQUENCE, "weight gradients overwritten each step",
                  "Your dWx, dWh (and db) are those of step 0 alone: each step's assignment replaced the last. The "
                  "weights are shared by every step, so their gradient is the SUM over t: start from zeros and "
                  "+= each step's.",
                  gradients=(lambda reference, right, dout, *arrays: _bptt(reference, dout, *arrays, overwrite=True),
                             lambda reference, right, dout, *arrays: _bptt(reference, dout, *arrays, overwrite=True,
                                                                           overwrite_db=False))),
    layer_mistake(STEP, "tanh derivative taken at the pre-activation",
                  "Your da is dnext_h * (1 - a**2) with a = x @ Wx + prev_h @ Wh + b, the input of tanh: tanh' "
                  "is 1 - tanh(a)**2 = 1 - next_h**2, from the output, which the forward should cache.",
                  gradients=lambda reference, right, dout, x, prev_h, Wx, Wh, b: _linear_backward(
                      dout * (1 - (x @ Wx + prev_h @ Wh + b) ** 2), x, prev_h, Wx, Wh)),
    *sequence_mistakes(SEQUENCE),
)

KATA = layer_kata(
    STEP, SEQUENCE, name="rnn", title="vanilla tanh RNN: a step and a sequence, forward and backprop through time",
    mistakes=MISTAKES, speed=layer_speed(SEQUENCE),
    hints=(
        "Write the step first and the sequence from it. In the sequence's backward, ask which later computations "
        "read h[:, t], and which arrays are used at every step.",
        "The step caches its inputs and next_h; its backward is a linear layer's backward behind tanh'. The "
        "sequence's forward loops the step over t and keeps every step's cache; its backward loops t from T-1 "
        "down to 0, feeding each step dh[:, t] plus the dprev_h of the step after it, and sums the weights' "
        "gradients over the steps.",
        "da = dnext_h * (1 - next_h**2); dx = da @ Wx.T, dprev_h = da @ Wh.T, dWx = x.T @ da, dWh = prev_h.T @ da, "
        "db = da.sum(0). BPTT: dprev = 0; for t in reversed(range(T)): dx[:, t], dprev, gWx, gWh, gb = "
        "step_backward(dh[:, t] + dprev, caches[t]); dWx += gWx; ...; dh0 = dprev.",
    ),
)
