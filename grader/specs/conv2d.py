"""conv2d: forward and backward of a 2-D convolution (cross-correlation), as the contract states."""
import numpy as np

from grader.kata import Kata
from grader.layer import Case, Edge, Layer, layer_checks, layer_mistake, layer_speed
from solutions import conv2d as reference


def _case(name: str, x: tuple, w: tuple, stride: int, pad: int) -> Case:
    return Case(name, {"x": x, "w": w, "b": (w[0],)}, {"stride": stride, "pad": pad})


# Small inputs, so that numerical gradients cover every element even for a
# learner's nested-loop answer; H != W throughout so swapped axes show.
LAYER = Layer(
    forward="conv2d_forward",
    backward="conv2d_backward",
    inputs=("x", "w", "b"),
    cases=(
        _case("stride 1, pad 0", x=(2, 2, 4, 5), w=(2, 2, 3, 3), stride=1, pad=0),
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
             _case("4x5 kernel on a padded 4x5 input", x=(2, 1, 2, 3), w=(2, 1, 4, 5), stride=1, pad=1),
             why="one output position per sample and filter"),
    ),
    speed_case=_case("speed: stride 1, pad 1", x=(8, 3, 16, 16), w=(8, 3, 3, 3), stride=1, pad=1),
)

# Known mistakes, each as what it computes, built from the reference.

def _one_sided_padding(x, w, b, stride=1, pad=0):
    padded = np.pad(x, ((0, 0), (0, 0), (0, 2 * pad), (0, 2 * pad)))
    return reference.conv2d_forward(padded, w, b, stride=stride, pad=0)


def _flipped_kernel(x, w, b, stride=1, pad=0):
    return reference.conv2d_forward(x, w[:, :, ::-1, ::-1], b, stride=stride, pad=pad)


def _db_averaged(dout, cache):
    dx, dw, db = reference.conv2d_backward(dout, cache)
    return dx, dw, db / dout.shape[0]


MISTAKES = (
    layer_mistake(LAYER, "padding on one side only",
                  "Your output matches a convolution whose zeros were added only after the last row and "
                  "column: pad every side by `pad`, e.g. np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))).",
                  forward=_one_sided_padding),
    layer_mistake(LAYER, "flipped kernel (true convolution)",
                  "Your output is a true convolution, with the kernel flipped: deep-learning conv2d is "
                  "cross-correlation, w[f, c, 0, 0] meets the window's top-left pixel.",
                  forward=_flipped_kernel),
    layer_mistake(LAYER, "db averaged over the batch",
                  "Your db is the batch mean of dout's sums, N times too small: db sums over the batch "
                  "(and over output positions), dout.sum(axis=(0, 2, 3)).",
                  backward=_db_averaged),
)

KATA = Kata(
    name="conv2d",
    title="2-D convolution forward and backward (stride, zero padding)",
    functions=("conv2d_forward", "conv2d_backward"),
    checks=layer_checks(LAYER),
    speed=layer_speed(LAYER),
    hints=(
        "Each output value is one window of the padded input times one filter, summed, plus that filter's "
        "bias; backward sends each dout value back along the same window.",
        "Pad x, then for every output position take the window x_pad[n, :, i*stride:i*stride+HH, "
        "j*stride:j*stride+WW]. In backward, add window * dout[n, f, i, j] into dw[f] and w[f] * dout[n, f, "
        "i, j] into the same window of dx_pad, crop the padding off dx_pad, and sum dout for db.",
        "out[n, f, i, j] = sum(x_pad[n, :, i*stride:i*stride+HH, j*stride:j*stride+WW] * w[f]) + b[f], "
        "with H' = 1 + (H + 2*pad - HH) // stride.",
    ),
    mistakes=MISTAKES,
)
