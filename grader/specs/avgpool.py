"""avgpool: average pooling over windows (overlap, floor, defaults) and global average pooling, forward and backward.

Two layers, each with the standard rows ("avgpool forward values", "global_avgpool gradient dx"). Average pooling
is linear, so plain normal draws do (no kinks); every backward returns fresh arrays (called twice with one cache).
"""
import numpy as np

from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.contrast import Feature

DEFAULTS = {"pool_height": 2, "pool_width": 2, "stride": 2}


def _case(name: str, x: tuple, pool: tuple[int, int] | None = None, stride: int | None = None) -> Case:
    params = {} if pool is None else {"pool_height": pool[0], "pool_width": pool[1], "stride": stride}
    return Case(name, {"x": x}, params)


def _window_count(found: dict) -> dict:
    return {"pool_height*pool_width": found["pool_height"] * found["pool_width"]}


AVGPOOL = Layer(
    forward="avgpool_forward", backward="avgpool_backward", inputs=("x",),
    cases=(
        _case("2x2 pool, stride 2", x=(2, 2, 4, 6), pool=(2, 2), stride=2),
        _case("3x2 pool, stride 2", x=(1, 2, 7, 6), pool=(3, 2), stride=2),
        _case("2x3 pool, stride 3", x=(1, 2, 6, 9), pool=(2, 3), stride=3),
    ),
    edges=(
        Edge("overlapping windows add up", _case("3x3 pool, stride 1", x=(1, 2, 5, 6), pool=(3, 3), stride=1),
             why="an input covered by several windows gets the sum of their shares, dout / (pool_height*pool_width)"),
        Edge("windows that do not tile x (floor)",
             _case("2x2 pool, stride 2, odd sizes", x=(1, 2, 5, 7), pool=(2, 2), stride=2),
             why="H' = 1 + (H - pool_height) // stride; rows and columns no window reaches get 0"),
        Edge("default parameters", _case("x alone (2x2 pool, stride 2 by default)", x=(2, 1, 4, 6)),
             why="called with x alone, the pool is 2x2 with stride 2"),
    ),
    speed_case=Case("speed", {"x": (16, 8, 32, 32)}, dict(DEFAULTS)),
    dims={"x": "N C H W", "out": "N C H' W'"},
    # The template hands features each case with avgpool_forward's defaults filled in (the defaults' edge sets none).
    features=(
        Feature("windows overlap (stride < pool size)",
                lambda case: case.params["stride"] < max(case.params["pool_height"], case.params["pool_width"]),
                negation="windows do not overlap (stride >= pool size)"),
        Feature("the pool is not square", lambda case: case.params["pool_height"] != case.params["pool_width"],
                negation="the pool is square"),
    ),
    derived=_window_count,
    backward_twice=True,
)

# C = W in the first case: averaging over the wrong pair of axes gives out the right shape, and wrong values.
GLOBAL = Layer(
    forward="global_avgpool_forward", backward="global_avgpool_backward", inputs=("x",),
    cases=(Case("C = W", {"x": (2, 5, 3, 5)}), Case("H != W", {"x": (3, 2, 4, 6)}),
           Case("N = 1", {"x": (1, 4, 3, 3)})),
    edges=(Edge("H = W = 1", Case("1x1 maps", {"x": (2, 3, 1, 1)}), why="a 1x1 map's mean is its one value"),),
    speed_case=Case("speed", {"x": (16, 8, 32, 32)}),
    dims={"x": "N C H W", "out": "N C"},
    backward_twice=True,
)


def _assigned(reference, right, dout, x, pool_height=2, pool_width=2, stride=2):
    """dx when each window's share is assigned (=) into its window: the last window covering an input wins."""
    dx = np.zeros(x.shape)
    for i, j in np.ndindex(*dout.shape[2:]):
        share = dout[:, :, i, j][:, :, None, None] / (pool_height * pool_width)
        dx[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width] = share
    return dx


MISTAKES = (
    layer_mistake(AVGPOOL, "backward not divided by the window size",
                  "Your dx sends each window's whole dout to every input it covers: each input is 1 / "
                  "(pool_height*pool_width) of the mean, so it gets dout / (pool_height*pool_width).",
                  gradients=lambda reference, right, dout, x, pool_height=2, pool_width=2, stride=2:
                  right[0] * (pool_height * pool_width)),
    layer_mistake(AVGPOOL, "overlapping windows assigned, not added",
                  "Your dx keeps only the last window's share where windows overlap: add each window's share "
                  "into dx (+=) instead of assigning it.", gradients=_assigned),
    layer_mistake(GLOBAL, "global pooling over the wrong axes",
                  "Your out averages over axes 1 and 2, as for channels-last (N, H, W, C) data: x here is "
                  "(N, C, H, W), so average over the spatial axes, x.mean(axis=(2, 3)).",
                  forward=lambda reference, x: x.mean(axis=(1, 2))),
    layer_mistake(GLOBAL, "global backward not divided by H*W",
                  "Your dx copies dout[n, c] to every position of its map: each position is 1 / (H*W) of the "
                  "mean, so dx = dout[:, :, None, None] / (H*W) at every position.",
                  gradients=lambda reference, right, dout, x: right[0] * (x.shape[2] * x.shape[3])),
)

KATA = layer_kata(
    AVGPOOL, GLOBAL, name="avgpool", mistakes=MISTAKES,
    title="average pooling over windows (overlap, floor) and global average pooling, forward and backward",
    workload="avgpool (2x2, stride 2) and global_avgpool, forward + backward, on x 16x8x32x32",
    hints=(
        "Each output is the mean of its window (or of its whole map): in backward, ask how much each input of "
        "the window contributed to that mean, and what happens to an input that several windows share.",
        "Window (i, j) covers rows i*stride to i*stride + pool_height and columns j*stride to j*stride + "
        "pool_width, with H' = 1 + (H - pool_height) // stride. Backward: for each window, add dout[:, :, i, j] "
        "/ (pool_height*pool_width) into dx over that window. Global pooling is the mean over axes 2 and 3.",
        "dx[:, :, i*stride:i*stride+pool_height, j*stride:j*stride+pool_width] += dout[:, :, i, j, None, None] "
        "/ (pool_height*pool_width); global: dx = dout[:, :, None, None] / (H*W), broadcast to x's shape.",
    ),
)
