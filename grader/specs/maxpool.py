"""maxpool: 2-D max pooling, forward and backward, with overlap, floor and the tie rule of the contract."""
import numpy as np

from grader.kata import Kata
from grader.layer import Case, Edge, Layer, layer_checks, layer_speed


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
    speed_case=_case("speed", x=(16, 16, 32, 32), pool=(2, 2), stride=2),
)
KATA = Kata(
    name="maxpool",
    title="max pooling forward and backward (overlap, floor, ties)",
    functions=("maxpool_forward", "maxpool_backward"),
    checks=layer_checks(LAYER),
    speed=layer_speed(LAYER),
)
