"""conv_transpose2d: forward and backward of a transposed 2-D convolution (PyTorch's ConvTranspose2d, w (C, F, HH, WW)).

The layer rows of conv2d, plus a row of its own: the forward is conv2d's adjoint, <conv_transpose2d(y, w), z> =
<y, conv2d(z, w)> without bias, conv2d computed in the grader's process by the conv2d kata's reference. Every
backward returns fresh arrays (called twice with one cache).
"""
import importlib

import numpy as np

from grader.authoring.kata import Check, CheckFailed
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.compare import compare_arrays, input_scale
from grader.checks.contrast import Feature
from grader.checks.returns import expect_array, expect_tuple
from grader.workspace import references_package


def _case(name: str, x: tuple, w: tuple, stride: int, pad: int) -> Case:
    return Case(name, {"x": x, "w": w, "b": (w[1],)}, {"stride": stride, "pad": pad})


def _out_size(case: Case) -> tuple[int, int]:
    stride, pad = case.params["stride"], case.params["pad"]
    return tuple((size - 1) * stride - 2 * pad + kernel for size, kernel in zip(case.shapes["x"][2:],
                                                                                case.shapes["w"][2:]))


# Small, so that numerical gradients cover every element even for nested loops; C != F but in one case.
LAYER = Layer(
    forward="conv_transpose2d_forward", backward="conv_transpose2d_backward", inputs=("x", "w", "b"),
    cases=(
        _case("stride 1, pad 0", x=(2, 3, 3, 4), w=(3, 2, 3, 3), stride=1, pad=0),
        _case("stride 2, pad 1", x=(2, 2, 3, 2), w=(2, 3, 3, 3), stride=2, pad=1),
        _case("stride 3, pad 1, C = F", x=(1, 2, 3, 2), w=(2, 2, 3, 2), stride=3, pad=1),
    ),
    edges=(
        Edge("stride larger than the kernel (gaps)",
             _case("stride 3, 2x2 kernel", x=(1, 2, 3, 3), w=(2, 3, 2, 2), stride=3, pad=0),
             why="output pixels that no copy of the kernel reaches are just the bias"),
        Edge("1x1 kernel", _case("1x1 kernel, stride 2", x=(2, 3, 2, 3), w=(3, 2, 1, 1), stride=2, pad=0),
             why="each input pixel lands on one output pixel, (i*stride, j*stride); the others are the bias"),
        Edge("pad crops the output to 1x1", _case("3x3 kernel, pad 2", x=(1, 2, 3, 3), w=(2, 2, 3, 3), stride=1,
                                                  pad=2),
             why="H' = (H - 1)*stride - 2*pad + HH = 1: pad rows and columns are cropped from every side"),
        Edge("non-square input and kernel",
             _case("H != W, HH != WW, stride 2, pad 1", x=(1, 2, 4, 2), w=(2, 1, 2, 3), stride=2, pad=1),
             why="HH runs along H and WW along W"),
    ),
    speed_case=_case("speed: stride 2, pad 1", x=(8, 16, 8, 8), w=(16, 8, 4, 4), stride=2, pad=1),
    dims={"x": "N C H W", "w": "C F HH WW", "out": "N F H' W'"},
    features=(
        Feature("the kernel is not square (HH != WW)", lambda case: case.shapes["w"][2] != case.shapes["w"][3],
                negation="the kernel is square (HH = WW)"),
        Feature("copies overlap (stride < HH or WW)", lambda case: case.params["stride"] < max(case.shapes["w"][2:]),
                negation="copies do not overlap (stride >= HH and WW)"),
        Feature("C = F", lambda case: case.shapes["w"][0] == case.shapes["w"][1], negation="C != F"),
        Feature("the output is not square (H' != W')", lambda case: len(set(_out_size(case))) > 1,
                negation="the output is square (H' = W')"),
        # a sum over positions (db) is right by accident on the 1x1 output: say so rather than "pad < 2"
        Feature("the output has more than one pixel", lambda case: _out_size(case) != (1, 1),
                negation="the output is one pixel (H' = W' = 1)"),
    ),
    backward_twice=True,
)

#: (x shape, w shape, stride, pad) of the adjoint row: y is x-shaped; z has out's shape.
ADJOINT = (((2, 3, 3, 4), (3, 2, 3, 3), 1, 0), ((2, 2, 4, 3), (2, 3, 3, 2), 2, 1),
           ((1, 3, 3, 3), (3, 2, 2, 2), 3, 0), ((1, 2, 3, 4), (2, 2, 4, 3), 2, 2))


def _adjoint(session) -> str:
    """sum(conv_transpose2d(y, w, 0) * z) == sum(y * conv2d(z, w, 0)), conv2d the conv2d kata's reference."""
    conv2d = importlib.import_module(f"{references_package()}.conv2d").conv2d_forward
    for x_shape, w_shape, stride, pad in ADJOINT:
        rng = session.rng("adjoint", x_shape, w_shape, stride, pad)
        y, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), np.zeros(w_shape[1])
        label = f"stride {stride}, pad {pad} [y {'x'.join(map(str, x_shape))}, w {'x'.join(map(str, w_shape))}]"
        with session.about(label):
            returned = session.call("conv_transpose2d_forward", y, w, b, stride=stride, pad=pad, send=(0,))
        out = expect_tuple(returned.value, "conv_transpose2d_forward", ("out", "cache"))[0]
        expect_array(out, "conv_transpose2d_forward's out")
        size = tuple((n - 1) * stride - 2 * pad + k for n, k in zip(x_shape[2:], w_shape[2:]))
        if out.shape != (x_shape[0], w_shape[1], *size):
            raise CheckFailed(f"{label}: out has shape {out.shape}, expected {(x_shape[0], w_shape[1], *size)}")
        z = rng.standard_normal(out.shape)
        ours, theirs = np.sum(out * z), np.sum(y * conv2d(z, w, np.zeros(w_shape[0]), stride=stride, pad=pad)[0])
        if mismatch := compare_arrays("<out, z>", np.array(theirs), np.array(ours), input_scale(y, w, z)):
            raise CheckFailed(f"{label}: sum(out * z) = {ours:.6g} but sum(y * conv2d(z, w, stride, pad)) = "
                              f"{theirs:.6g} ({mismatch.describe()}): a transposed convolution is conv2d's adjoint; "
                              f"pixel (i, j) adds x[n, c, i, j] * w[c, f] (not flipped) at (i*stride, j*stride) of "
                              f"the full output, then pad is cropped from every side")
    return f"sum(out * z) == sum(y * conv2d(z, w)) at {len(ADJOINT)} (stride, pad) settings"


def _cropped(starts):
    """The uncropped output (pad ignored), cropped to out's size from `starts`(pad) instead of from pad."""
    def forward(reference, x, w, b, stride=1, pad=0):
        full = reference.conv_transpose2d_forward(x, w, b, stride=stride, pad=0)[0]
        H, W = (size - 2 * pad for size in full.shape[2:])
        return full[:, :, starts(pad):starts(pad) + H, starts(pad):starts(pad) + W]
    return forward


MISTAKES = (
    layer_mistake(LAYER, "flipped kernel",
                  "Your output matches each kernel flipped: w[c, f, 0, 0] lands on the top-left pixel of input pixel "
                  "(i, j)'s copy, at (i*stride, j*stride), as conv2d's backward sends dout back through w.",
                  forward=lambda reference, x, w, b, stride=1, pad=0: reference.conv_transpose2d_forward(
                      x, w[:, :, ::-1, ::-1], b, stride=stride, pad=pad)[0]),
    layer_mistake(LAYER, "w read as (F, C, HH, WW)",
                  "Your forward reads w as conv2d's (F, C, HH, WW): a ConvTranspose2d weight is (C, F, HH, WW), input "
                  "channels first, so w[c, f] is the kernel from input channel c to output channel f.",
                  forward=lambda reference, x, w, b, stride=1, pad=0: reference.conv_transpose2d_forward(
                      x, w.transpose(1, 0, 2, 3), b, stride=stride, pad=pad)[0]),
    layer_mistake(LAYER, "pad not cropped",
                  "Your output is the full (H - 1)*stride + HH rows and columns: crop pad from every side, "
                  "H' = (H - 1)*stride - 2*pad + HH (padding a transposed convolution removes output, it does not "
                  "add input).", forward=lambda reference, x, w, b, stride=1, pad=0:
                  reference.conv_transpose2d_forward(x, w, b, stride=stride, pad=0)[0]),
    layer_mistake(LAYER, "pad cropped on one side only",
                  "Your output is the right size, but all 2*pad rows and columns were cropped from one side: crop pad "
                  "from every side, out = full[:, :, pad:pad + H', pad:pad + W'].",
                  forward=(_cropped(lambda pad: 0), _cropped(lambda pad: 2 * pad))),
)

KATA = layer_kata(
    LAYER, name="conv_transpose2d", mistakes=MISTAKES,
    title="transposed 2-D convolution forward and backward (stride, pad cropped; conv2d's adjoint)",
    extra=(Check("adjoint of conv2d", "value", _adjoint, needs=("forward output shape",)),),
    hints=(
        "Run conv2d backwards: each input pixel paints a copy of the kernel, scaled by its value, onto the "
        "output; the copies add up where they overlap, and pad then crops the border.",
        "Make a zero output of (H - 1)*stride + HH by (W - 1)*stride + WW; for each input pixel (i, j) add "
        "sum over c of x[n, c, i, j] * w[c] into full[n, :, i*stride:i*stride+HH, j*stride:j*stride+WW]; crop "
        "pad from every side, add b. Backward: pad dout back to the full size, and each input pixel's gradient "
        "is its window of that, times w (a conv2d); dw sums x times the windows; db sums dout.",
        "full[n, f, i*stride + k, j*stride + l] += x[n, c, i, j] * w[c, f, k, l]; out = full[:, :, pad:pad+H', "
        "pad:pad+W'] + b[f], H' = (H - 1)*stride - 2*pad + HH; dx[n, c, i, j] = sum over f, k, l of "
        "w[c, f, k, l] * dfull[n, f, i*stride + k, j*stride + l].",
    ),
)
