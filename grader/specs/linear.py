"""linear: a fully connected layer on (N, d_1, ..., d_k) data, forward and backward.

x of 2, 3 and 4 dimensions in the cases, so that an x that is not
flattened, or a dx that is not reshaped back, shows; N != M and D != M
throughout, so that a transposed weight or a sum over the wrong axis
shows as a shape.
"""
import math

from grader.kata import Kata
from grader.layer import Case, Edge, Layer, layer_checks, layer_speed


def _case(name: str, x: tuple[int, ...], m: int) -> Case:
    return Case(name, {"x": x, "w": (math.prod(x[1:]), m), "b": (m,)})


# Small, so that numerical gradients cover every element of x, w and b.
LAYER = Layer(
    forward="linear_forward",
    backward="linear_backward",
    inputs=("x", "w", "b"),
    cases=(
        _case("2-D x", x=(4, 5), m=3),
        _case("3-D x", x=(3, 2, 4), m=2),
        _case("4-D x", x=(2, 3, 2, 2), m=3),
    ),
    edges=(
        Edge("N = 1", _case("one example, 3-D x", x=(1, 2, 3), m=4),
             why="x is flattened to (1, D) and dx has the shape of x"),
        Edge("M = 1", _case("one output", x=(3, 4), m=1),
             why="out is (N, 1) and db is (1,)"),
    ),
    # Below OpenBLAS's threading threshold (m*n*k < 262144 per product): a
    # multithreaded product in the learner's process competes for the cores
    # with the grader's own BLAS threads: the reference, graded as a
    # learner's file, read up to 50x the reference's time.
    speed_case=_case("speed", x=(32, 4, 4, 4), m=64),
)

KATA = Kata(
    name="linear",
    title="fully connected layer forward and backward (x of any rank)",
    functions=("linear_forward", "linear_backward"),
    checks=layer_checks(LAYER),
    speed=layer_speed(LAYER),
)
