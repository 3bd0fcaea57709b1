"""maxpool: 2-D max pooling, forward and backward, with overlap, floor and the tie rule of the contract."""
import numpy as np

from grader.checks.contrast import Feature
from grader.authoring.kata import Kata, KnownMistake
from grader.authoring.layer import Case, Edge, Layer, either_mistake, layer_checks, layer_mistake, layer_speed


def _distinct(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x with values at least 0.07 apart: no ties, so the max is never at a kink of central differences."""
    size = int(np.prod(shapes["x"]))
    values = (rng.permutation(size) + rng.uniform(0, 0.3, size)) * 0.1
    return {"x": (values - values.mean()).reshape(shapes["x"])}


def _ties(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x drawn from three values only: most windows hold several equal maxima."""
    return {"x": rng.integers(0, 3, size=shapes["x"]).astype(np.float64)}


def _case(name: str, x: tuple, pool: tuple[int, int], stride: int, make=_distinct) -> Case:
    return Case(name, {"x": x}, {"pool_height": pool[0], "pool_width": pool[1], "stride": stride}, make=make)


LAYER = Layer(
    forward="maxpool_forward",
    backward="maxpool_backward",
    inputs=("x",),
    cases=(
        _case("2x2 pool, stride 2", x=(2, 3, 4, 6), pool=(2, 2), stride=2),
        _case("3x2 pool, stride 2", x=(2, 2, 7, 6), pool=(3, 2), stride=2),
        _case("2x3 pool, stride 3", x=(1, 2, 6, 9), pool=(2, 3), stride=3),
    ),
    edges=(
        Edge("ties go to the first maximum",
             _case("2x2 pool, stride 2, tied values", x=(2, 2, 4, 6), pool=(2, 2), stride=2, make=_ties),
             why="each window sends its gradient to one input: among tied maxima the first in row-major order",
             gradients="reference"),  # central differences are meaningless at a tie
        Edge("ties in overlapping windows",
             _case("3x3 pool, stride 1, tied values", x=(1, 2, 5, 6), pool=(3, 3), stride=1, make=_ties),
             why="the first maximum of each window takes its gradient, and overlapping windows add up",
             gradients="reference"),
        Edge("overlapping windows add up",
             _case("3x3 pool, stride 1", x=(2, 2, 5, 6), pool=(3, 3), stride=1),
             why="an input that is the maximum of several windows gets the sum of their gradients"),
        Edge("windows that do not tile x (floor)",
             _case("2x2 pool, stride 2, odd sizes", x=(1, 2, 5, 7), pool=(2, 2), stride=2),
             why="H' = 1 + (H - pool_height) // stride; rows and columns no window reaches get 0"),
    ),
    # Plain normal draws (ties have probability 0): _distinct would cost more than the timing.
    speed_case=_case("speed", x=(8, 8, 32, 32), pool=(2, 2), stride=2, make=None),
    dims={"x": "N C H W", "out": "N C H' W'"},
    features=(
        Feature("windows overlap (stride < pool size)",
                lambda case: case.params["stride"] < max(case.params["pool_height"], case.params["pool_width"]),
                negation="windows do not overlap (stride >= pool size)"),
        Feature("the pool is not square", lambda case: case.params["pool_height"] != case.params["pool_width"],
                negation="the pool is square"),
        Feature("the input is not square (H != W)", lambda case: case.shapes["x"][2] != case.shapes["x"][3],
                negation="the input is square (H = W)"),
        Feature("the output is not square (H' != W')",
                lambda case: (case.shapes["x"][2] - case.params["pool_height"]) // case.params["stride"]
                != (case.shapes["x"][3] - case.params["pool_width"]) // case.params["stride"],
                negation="the output is square (H' = W')"),
        Feature("the stride differs from the pool size",
                lambda case: (case.params["pool_height"], case.params["pool_width"]) != (case.params["stride"],) * 2,
                negation="the stride equals the pool size"),
        Feature("the stride leaves rows or columns that no window reaches",
                lambda case: any((size - pool) % case.params["stride"] != 0 for size, pool in
                                 zip(case.shapes["x"][2:], (case.params["pool_height"], case.params["pool_width"]))),
                negation="the windows reach every row and column"),
    ),
)
# -- known mistakes ---------------------------------------------------------------
# Pooling written out window by window, with the parts a mistake changes as
# arguments: where windows start, how many there are, which inputs of a window
# take its gradient, and whether overlapping windows add up.

def _pool_forward(x, pool_height=2, pool_width=2, stride=2, step=None, size=None, window=None):
    """out, with window (i, j) at (i*step_h, j*step_w), of `window` (default the pool's) rows and
    columns, and `size(H, pool, stride)` windows per axis.

    A window cut short by the edge of x takes the maximum of what it holds; an empty one gives NaN.
    """
    step_h, step_w = step or (stride, stride)
    size = size or (lambda length, pool: 1 + (length - pool) // stride)
    rows, cols = window or (pool_height, pool_width)
    N, C, H, W = x.shape
    out = np.full((N, C, size(H, pool_height), size(W, pool_width)), np.nan)
    for i, j in np.ndindex(*out.shape[2:]):
        window = x[:, :, i * step_h:i * step_h + rows, j * step_w:j * step_w + cols]
        if window.size:
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def _first_maximum(window: np.ndarray) -> np.ndarray:
    flat = window.reshape(*window.shape[:2], -1)
    return (np.arange(flat.shape[2]) == flat.argmax(axis=2)[..., None]).reshape(window.shape)


def _last_maximum(window: np.ndarray) -> np.ndarray:
    return _first_maximum(window[:, :, ::-1, ::-1])[:, :, ::-1, ::-1]


def _pool_backward(dout, x, pool_height, pool_width, stride, pick=_first_maximum, add="add"):
    """dx when each window sends dout to `pick(window)` (weights per input): added (+=), assigned to the
    whole window (dx[window] = share), or assigned at the picked inputs only (dx[argmax] = dout)."""
    dx = np.zeros(x.shape)
    for i, j in np.ndindex(*dout.shape[2:]):
        rows, cols = slice(i * stride, i * stride + pool_height), slice(j * stride, j * stride + pool_width)
        picked = pick(x[:, :, rows, cols])
        share = picked * dout[:, :, i, j][:, :, None, None]
        if add == "add":
            dx[:, :, rows, cols] += share
        elif add == "window":
            dx[:, :, rows, cols] = share
        else:
            dx[:, :, rows, cols] = np.where(picked != 0, share, dx[:, :, rows, cols])
    return dx


def _reshaped_windows(reference, x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - pool_height) // stride, 1 + (W - pool_width) // stride
    try:
        strips = x[:, :, :H_out * pool_height, :W_out * pool_width].reshape(N, C, H_out, W_out, -1)
    except ValueError:  # x too small to reshape so: this mistake would raise here
        return np.full((N, C, H_out, W_out), np.nan)
    return strips.max(axis=4)


def _backward_mistake(name: str, explanation: str, pick=_first_maximum, add="add") -> KnownMistake:
    """The learner's dx is `_pool_backward(pick, add)`."""
    return layer_mistake(LAYER, name, explanation, gradients=lambda reference, right, dout, x, **params: _pool_backward(
        dout, x, **params, pick=pick, add=add))


MISTAKES = (
    _backward_mistake("gradient to every tied maximum",
                      "Your dx sends a window's gradient to every input equal to its maximum: it goes to one "
                      "input only, the first maximum in row-major order, as np.argmax over the flattened "
                      "window picks.", pick=lambda window: window == window.max(axis=(2, 3), keepdims=True)),
    _backward_mistake("last tied maximum takes the gradient",
                      "Your dx gives a tie to the last maximum of the window: it goes to the first in "
                      "row-major order, so update a running maximum only on a strictly larger value (>).",
                      pick=_last_maximum),
    either_mistake("overlapping windows assigned, not added",
                   "Your dx keeps only the last window's gradient where windows overlap: add each window's "
                   "share into dx (+=) instead of assigning it.",
                   _backward_mistake("", "", add="window"), _backward_mistake("", "", add="at max")),
    _backward_mistake("average pooling's backward",
                      "Your dx spreads dout evenly over the window, the backward of average pooling: max pooling "
                      "sends all of it to the window's maximum.",
                      pick=lambda window: np.full(window.shape, 1 / (window.shape[2] * window.shape[3]))),
    layer_mistake(LAYER, "windows start at multiples of the pool size",
                  "Your output matches windows starting at (i*pool_height, j*pool_width): they start at "
                  "(i*stride, j*stride), which is the same only when the stride equals the pool size.",
                  forward=lambda reference, x, pool_height, pool_width, stride: _pool_forward(
                      x, pool_height, pool_width, stride, step=(pool_height, pool_width))),
    layer_mistake(LAYER, "windows cut by reshape",
                  "Your output matches x.reshape(N, C, H', W', pool_height*pool_width), whose 'windows' are "
                  "strips of memory, not 2-D blocks: take x[:, :, i*stride:i*stride+pool_height, "
                  "j*stride:j*stride+pool_width] for each window.", forward=_reshaped_windows),
    layer_mistake(LAYER, "windows of stride x stride",
                  "Your output matches windows x[:, :, i*stride:(i+1)*stride, ...], stride rows and columns wide: "
                  "a window is pool_height x pool_width, x[:, :, i*stride:i*stride+pool_height, ...], which "
                  "is the same only when the stride equals the pool size.",
                  forward=lambda reference, x, pool_height, pool_width, stride: _pool_forward(
                      x, pool_height, pool_width, stride, window=(stride, stride))),
    layer_mistake(LAYER, "output size rounded up",
                  "Your output has an extra, partial window at the edge: the size is rounded down, "
                  "H' = 1 + (H - pool_height) // stride, and windows that do not fit are left out.",
                  forward=lambda reference, x, pool_height, pool_width, stride: _pool_forward(
                      x, pool_height, pool_width, stride, size=lambda length, pool: 1 + -(-(length - pool) // stride))),
)

KATA = Kata(
    name="maxpool",
    title="max pooling forward and backward (overlap, floor, ties)",
    functions=("maxpool_forward", "maxpool_backward"),
    checks=layer_checks(LAYER),
    speed=layer_speed(LAYER),
    hints=(
        "Each output is the maximum of one window; in backward, ask which single input of the window "
        "that maximum came from, and what happens to an input that several windows share.",
        "Window (i, j) covers rows i*stride to i*stride + pool_height and columns j*stride to "
        "j*stride + pool_width, with H' = 1 + (H - pool_height) // stride. Backward: for each window, find "
        "the position of its first maximum (np.argmax of the flattened window) and add dout there.",
        "dx[n, c, i*stride + r, j*stride + s] += dout[n, c, i, j], where (r, s) = "
        "np.unravel_index(np.argmax(window), window.shape).",
    ),
    mistakes=MISTAKES,
)
