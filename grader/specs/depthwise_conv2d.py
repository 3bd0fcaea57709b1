"""depthwise_conv2d: forward and backward of a depthwise 2-D convolution (PyTorch's Conv2d with groups=C).

The layer rows of conv2d, with w of shape (C, 1, HH, WW) and one bias per channel; C differs from N, H and W in
every case, so that a sum over the wrong axis of x or dout shows as a shape. Every backward returns fresh arrays (called
twice with one cache).
"""
import numpy as np

from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake, window_features
from grader.checks.contrast import Feature


def _case(name: str, x: tuple, kernel: tuple[int, int], stride: int, pad: int) -> Case:
    return Case(name, {"x": x, "w": (x[1], 1, *kernel), "b": (x[1],)}, {"stride": stride, "pad": pad})


LAYER = Layer(
    forward="depthwise_conv2d_forward", backward="depthwise_conv2d_backward", inputs=("x", "w", "b"),
    cases=(
        _case("stride 1, pad 0", x=(2, 3, 4, 4), kernel=(3, 3), stride=1, pad=0),
        _case("stride 1, pad 1", x=(1, 2, 4, 3), kernel=(3, 2), stride=1, pad=1),
        _case("stride 2, pad 1", x=(1, 3, 5, 4), kernel=(3, 3), stride=2, pad=1),
    ),
    edges=(
        Edge("stride that does not divide (floor)",
             _case("stride 3, pad 0, H and W not divisible", x=(1, 2, 7, 4), kernel=(3, 3), stride=3, pad=0),
             why="H' = 1 + (H + 2*pad - HH) // stride, and rows/columns no window reaches get zero gradient"),
        Edge("1x1 kernel", _case("1x1 kernel", x=(2, 3, 2, 3), kernel=(1, 1), stride=1, pad=0),
             why="out[n, c] = w[c, 0, 0, 0] * x[n, c] + b[c]: each channel scaled by its own weight"),
        Edge("C = 1", _case("one channel", x=(2, 1, 4, 5), kernel=(3, 3), stride=1, pad=1),
             why="with one channel a depthwise convolution is an ordinary convolution"),
        Edge("non-square input and kernel",
             _case("H != W, HH != WW, stride 2, pad 1", x=(1, 2, 5, 4), kernel=(2, 3), stride=2, pad=1),
             why="HH runs along H and WW along W"),
    ),
    speed_case=_case("speed: 3x3, stride 1, pad 1", x=(8, 8, 16, 16), kernel=(3, 3), stride=1, pad=1),
    dims={"x": "N C H W", "w": "C one HH WW", "out": "N C H' W'"},
    features=(
        Feature("the kernel is not square (HH != WW)", lambda case: case.shapes["w"][2] != case.shapes["w"][3],
                negation="the kernel is square (HH = WW)"),
        Feature("more than one channel (C > 1)", lambda case: case.shapes["x"][1] > 1, negation="C = 1"),
        *window_features(lambda case: case.shapes["w"][2:]),
    ),
    backward_twice=True,
)


def _mixed(reference, x, w, b, stride=1, pad=0):
    """A full convolution with C filters of C identical channels: every output channel sees the sum of all
    input channels, through its own kernel."""
    summed = np.repeat(x.sum(axis=1, keepdims=True), x.shape[1], axis=1)
    return reference.depthwise_conv2d_forward(summed, w, b, stride=stride, pad=pad)[0]


MISTAKES = (
    layer_mistake(LAYER, "channels mixed (a full convolution)",
                  "Your out sums over the input channels, as an ordinary conv2d does: in a depthwise convolution "
                  "output channel c sees input channel c only, out[n, c] = sum over k, l of w[c, 0, k, l] * "
                  "x_pad[n, c, ...] + b[c], with no sum over channels.", forward=_mixed),
    layer_mistake(LAYER, "dw without its axis of size 1",
                  "Your dw has shape (C, HH, WW): w is (C, 1, HH, WW), PyTorch's weight for Conv2d(groups=C), "
                  "and dw has its shape, axis of size 1 included (dw[:, 0] = ..., or reshape to w.shape).",
                  gradients=lambda reference, right, dout, x, w, b, stride=1, pad=0: (right[0], right[1][:, 0],
                                                                                      right[2])),
    layer_mistake(LAYER, "db summed over channels",
                  "Your db gives every channel the sum of dout over all channels: channel c's bias is added to "
                  "channel c of out only, so db = dout.sum(axis=(0, 2, 3)), one sum per channel.",
                  gradients=lambda reference, right, dout, x, w, b, stride=1, pad=0: (
                      *right[:2], np.full(right[2].shape, dout.sum()))),
    layer_mistake(LAYER, "flipped kernel (true convolution)",
                  "Your output is a true convolution, with each kernel flipped: deep-learning convolution is "
                  "cross-correlation, w[c, 0, 0, 0] meets the window's top-left pixel.",
                  forward=lambda reference, x, w, b, stride=1, pad=0: reference.depthwise_conv2d_forward(
                      x, w[:, :, ::-1, ::-1], b, stride=stride, pad=pad)[0]),
)

KATA = layer_kata(
    LAYER, name="depthwise_conv2d", mistakes=MISTAKES,
    title="depthwise 2-D convolution forward and backward (groups=C: one kernel per channel)",
    hints=(
        "It is conv2d where each channel has its own single-channel kernel and nothing is summed over "
        "channels: output channel c depends on input channel c only.",
        "Pad x, then for every kernel offset (k, l) take the strided slice x_pad[:, :, k:k+stride*H':stride, "
        "l:l+stride*W':stride] and add w[:, 0, k, l] (broadcast along the channel axis) times it into out. "
        "Backward: the same slices; dw[:, 0, k, l] sums dout * slice over n, i, j, and w[:, 0, k, l] * dout "
        "goes back (+=) into dx_pad's slice; crop the padding; db sums dout over n, i, j.",
        "out[n, c, i, j] = b[c] + sum over k, l of w[c, 0, k, l] * x_pad[n, c, i*stride + k, j*stride + l]; "
        "dw[c, 0, k, l] = sum over n, i, j of dout[n, c, i, j] * x_pad[n, c, i*stride + k, j*stride + l].",
    ),
)
