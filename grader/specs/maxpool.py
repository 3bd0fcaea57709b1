"""maxpool: 2-D max pooling, forward and backward, with overlap, floor and the tie rule of the contract."""
import numpy as np

from grader.checks.contrast import Feature
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake, window_features


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


def _pool(case: Case) -> tuple[int, int]:
    return case.params["pool_height"], case.params["pool_width"]


LAYER = Layer(
    forward="maxpool_forward", backward="maxpool_backward", inputs=("x",),
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
        Edge("overlapping windows add up", _case("3x3 pool, stride 1", x=(2, 2, 5, 6), pool=(3, 3), stride=1),
             why="an input that is the maximum of several windows gets the sum of their gradients"),
        Edge("windows that do not tile x (floor)",
             _case("2x2 pool, stride 2, odd sizes", x=(1, 2, 5, 7), pool=(2, 2), stride=2),
             why="H' = 1 + (H - pool_height) // stride; rows and columns no window reaches get 0"),
    ),
    # Plain normal draws (ties have probability 0): _distinct would cost more than the timing.
    speed_case=_case("speed", x=(8, 8, 32, 32), pool=(2, 2), stride=2, make=None),
    dims={"x": "N C H W", "out": "N C H' W'"},
    features=(
        Feature("windows overlap (stride < pool size)", lambda case: case.params["stride"] < max(_pool(case)),
                negation="windows do not overlap (stride >= pool size)"),
        Feature("the pool is not square", lambda case: _pool(case)[0] != _pool(case)[1], negation="the pool is square"),
        Feature("the stride differs from the pool size", lambda case: _pool(case) != (case.params["stride"],) * 2,
                negation="the stride equals the pool size"),
        *window_features(_pool),
    ),
)


def _pool_forward(starts: str = "stride", spans: str = "pool", round_up: bool = False):
    """A known mistake's forward, pooling window by window: window (i, j) at (i, j) times the stride or the
    pool's size (`starts`), of the pool's or stride x stride rows and columns (`spans`), H' rounded down or up.
    A window cut short by x's edge takes the maximum of what it holds (one past it cannot be computed)."""
    def forward(reference, x, pool_height, pool_width, stride):
        pool = (pool_height, pool_width)
        step = pool if starts == "pool" else (stride, stride)
        extent = pool if spans == "pool" else (stride, stride)
        rounding = np.ceil if round_up else np.floor
        sizes = [1 + int(rounding((size - p) / stride)) for size, p in zip(x.shape[2:], pool)]
        out = np.zeros((*x.shape[:2], *sizes))
        for i, j in np.ndindex(*sizes):
            window = x[:, :, i * step[0]:i * step[0] + extent[0], j * step[1]:j * step[1] + extent[1]]
            out[:, :, i, j] = window.max(axis=(2, 3))
        return out
    return forward


def _first_maximum(window: np.ndarray) -> np.ndarray:
    flat = window.reshape(*window.shape[:2], -1)
    return (np.arange(flat.shape[2]) == flat.argmax(axis=2)[..., None]).reshape(window.shape)


def _pool_backward(pick=_first_maximum, combine=lambda old, share, picked: old + share):
    """A known mistake's dx, pooling window by window: each window sends dout to `pick(window)` (weights per
    input), its share combined with what dx holds there: added (+=), or assigned."""
    def gradients(reference, right, dout, x, pool_height, pool_width, stride):
        dx = np.zeros(x.shape)
        for i, j in np.ndindex(*dout.shape[2:]):
            rows, cols = slice(i * stride, i * stride + pool_height), slice(j * stride, j * stride + pool_width)
            picked = pick(x[:, :, rows, cols])
            dx[:, :, rows, cols] = combine(dx[:, :, rows, cols], picked * dout[:, :, i, j][:, :, None, None], picked)
        return dx
    return gradients


def _reshaped_windows(reference, x, pool_height, pool_width, stride):
    """The maxima of strips of memory (raising, as this mistake would, where x is too small to reshape so)."""
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - pool_height) // stride, 1 + (W - pool_width) // stride
    return x[:, :, :H_out * pool_height, :W_out * pool_width].reshape(N, C, H_out, W_out, -1).max(axis=4)


MISTAKES = (
    layer_mistake(LAYER, "gradient to every tied maximum",
                  "Your dx sends a window's gradient to every input equal to its maximum: it goes to one input "
                  "only, the first maximum in row-major order, as np.argmax over the flattened window picks.",
                  gradients=_pool_backward(pick=lambda window: window == window.max(axis=(2, 3), keepdims=True))),
    layer_mistake(LAYER, "last tied maximum takes the gradient",
                  "Your dx gives a tie to the last maximum of the window: it goes to the first in "
                  "row-major order, so update a running maximum only on a strictly larger value (>).",
                  gradients=_pool_backward(
                      pick=lambda window: _first_maximum(window[:, :, ::-1, ::-1])[:, :, ::-1, ::-1])),
    layer_mistake(LAYER, "overlapping windows assigned, not added",
                  "Your dx keeps only the last window's gradient where windows overlap: add each window's "
                  "share into dx (+=) instead of assigning it.",
                  gradients=(_pool_backward(combine=lambda old, share, picked: share),  # to the whole window
                             _pool_backward(combine=lambda old, share, picked: np.where(picked != 0, share, old)))),
    layer_mistake(LAYER, "average pooling's backward",
                  "Your dx spreads dout evenly over the window, the backward of average pooling: max pooling "
                  "sends all of it to the window's maximum.",
                  gradients=_pool_backward(pick=lambda window: np.ones(window.shape) / window[0, 0].size)),
    layer_mistake(LAYER, "windows start at multiples of the pool size",
                  "Your output matches windows starting at (i*pool_height, j*pool_width): they start at "
                  "(i*stride, j*stride), which is the same only when the stride equals the pool size.",
                  forward=_pool_forward(starts="pool")),
    layer_mistake(LAYER, "windows cut by reshape",
                  "Your output matches x.reshape(N, C, H', W', pool_height*pool_width), whose 'windows' are "
                  "strips of memory, not 2-D blocks: take x[:, :, i*stride:i*stride+pool_height, "
                  "j*stride:j*stride+pool_width] for each window.", forward=_reshaped_windows),
    layer_mistake(LAYER, "windows of stride x stride",
                  "Your output matches windows x[:, :, i*stride:(i+1)*stride, ...], stride rows and columns wide: "
                  "a window is pool_height x pool_width, x[:, :, i*stride:i*stride+pool_height, ...], which "
                  "is the same only when the stride equals the pool size.", forward=_pool_forward(spans="stride")),
    layer_mistake(LAYER, "output size rounded up",
                  "Your output has an extra, partial window at the edge: the size is rounded down, "
                  "H' = 1 + (H - pool_height) // stride, and windows that do not fit are left out.",
                  forward=_pool_forward(round_up=True)),
)

KATA = layer_kata(
    LAYER, name="maxpool", title="max pooling forward and backward (overlap, floor, ties)", mistakes=MISTAKES,
    hints=(
        "Each output is the maximum of one window; in backward, ask which single input of the window "
        "that maximum came from, and what happens to an input that several windows share.",
        "Window (i, j) covers rows i*stride to i*stride + pool_height and columns j*stride to "
        "j*stride + pool_width, with H' = 1 + (H - pool_height) // stride. Backward: for each window, find "
        "the position of its first maximum (np.argmax of the flattened window) and add dout there.",
        "dx[n, c, i*stride + r, j*stride + s] += dout[n, c, i, j], where (r, s) = "
        "np.unravel_index(np.argmax(window), window.shape).",
    ),
)
