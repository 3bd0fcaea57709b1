"""conv2d: forward and backward of a 2-D convolution (cross-correlation), as the contract states."""
from grader.kata import Kata
from grader.layer import Case, Edge, Layer, layer_checks, layer_speed


def _case(name: str, x: tuple, w: tuple, stride: int, pad: int) -> Case:
    return Case(name, {"x": x, "w": w, "b": (w[0],)}, {"stride": stride, "pad": pad})


# Small inputs, so that numerical gradients cover every element even for a
# learner's nested-loop answer; H != W throughout so swapped axes show.
LAYER = Layer(
    forward="conv2d_forward",
    backward="conv2d_backward",
    inputs=("x", "w", "b"),
    cases=(
        _case("stride 1, pad 0", x=(2, 2, 4, 5), w=(3, 2, 3, 3), stride=1, pad=0),
        _case("stride 1, pad 1", x=(2, 2, 4, 3), w=(2, 2, 3, 3), stride=1, pad=1),
        _case("stride 2, pad 1", x=(1, 2, 5, 4), w=(2, 2, 3, 3), stride=2, pad=1),
        _case("stride 3, pad 2", x=(1, 2, 5, 4), w=(2, 2, 3, 2), stride=3, pad=2),
    ),
    edges=(
        Edge("stride that does not divide (floor)",
             _case("stride 3, pad 0, H and W not divisible", x=(1, 2, 7, 5), w=(2, 2, 3, 3), stride=3, pad=0),
             why="H' = 1 + (H + 2*pad - HH) // stride, and rows/columns no window reaches get zero gradient"),
        Edge("1x1 kernel", _case("1x1 kernel", x=(2, 3, 2, 3), w=(2, 3, 1, 1), stride=1, pad=0)),
        Edge("N = 1 and C = 1", _case("N = 1, C = 1", x=(1, 1, 4, 5), w=(2, 1, 3, 3), stride=1, pad=1)),
        Edge("non-square input and kernel",
             _case("H != W, HH != WW, stride 2, pad 1", x=(1, 2, 5, 4), w=(2, 2, 2, 3), stride=2, pad=1),
             why="HH runs along H and WW along W"),
        Edge("kernel covers the whole padded input",
             _case("5x6 kernel on a padded 5x6 input", x=(2, 1, 3, 4), w=(2, 1, 5, 6), stride=1, pad=1),
             why="one output position per sample and filter"),
    ),
    speed_case=_case("speed: stride 1, pad 1", x=(8, 3, 16, 16), w=(8, 3, 3, 3), stride=1, pad=1),
)

KATA = Kata(
    name="conv2d",
    title="2-D convolution forward and backward (stride, zero padding)",
    functions=("conv2d_forward", "conv2d_backward"),
    checks=layer_checks(LAYER),
    speed=layer_speed(LAYER),
)
