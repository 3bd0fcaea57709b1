"""conv2d: forward and backward of a 2-D convolution (cross-correlation), as the contract states."""
import numpy as np

from grader.checks.contrast import Feature
from grader.authoring.kata import Kata
from grader.authoring.layer import Case, Edge, Layer, either_mistake, layer_checks, layer_mistake, layer_speed


def _case(name: str, x: tuple, w: tuple, stride: int, pad: int) -> Case:
    return Case(name, {"x": x, "w": w, "b": (w[0],)}, {"stride": stride, "pad": pad})


def _out_size(case: Case) -> tuple[int, int]:
    """(H', W') of a case."""
    stride, pad = case.params["stride"], case.params["pad"]
    return tuple(1 + (size + 2 * pad - kernel) // stride for size, kernel in zip(case.shapes["x"][2:], case.shapes["w"][2:]))


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
    dims={"x": "N C H W", "w": "F C HH WW", "out": "N F H' W'"},
    features=(
        Feature("the kernel is not square (HH != WW)", lambda case: case.shapes["w"][2] != case.shapes["w"][3],
                negation="the kernel is square (HH = WW)"),
        Feature("the input is not square (H != W)", lambda case: case.shapes["x"][2] != case.shapes["x"][3],
                negation="the input is square (H = W)"),
        Feature("the output is not square (H' != W')", lambda case: _out_size(case)[0] != _out_size(case)[1],
                negation="the output is square (H' = W')"),
        Feature("windows overlap (stride < HH or WW)",
                lambda case: case.params["stride"] < max(case.shapes["w"][2:]),
                negation="windows do not overlap (stride >= HH and WW)"),
        Feature("the stride leaves rows or columns that no window reaches",
                lambda case: any((size + 2 * case.params["pad"] - kernel) % case.params["stride"] != 0
                                 for size, kernel in zip(case.shapes["x"][2:], case.shapes["w"][2:])),
                negation="the windows reach every row and column"),
    ),
)

# Known mistakes, each as what it computes: a buggy forward(reference, x, w, b, stride, pad) -> out, or a
# buggy gradients(reference, right, dout, x, w, b, stride, pad), `right` the reference's (dx, dw, db).

def _one_sided_padding(before: bool):
    """The convolution of x with all 2*pad zeros before (or after) each row and column."""
    def forward(reference, x, w, b, stride=1, pad=0):
        sides = (2 * pad, 0) if before else (0, 2 * pad)
        return reference.conv2d_forward(np.pad(x, ((0, 0), (0, 0), sides, sides)), w, b, stride=stride, pad=0)[0]
    return forward


def _dx_still_padded(reference, right, dout, x, w, b, stride=1, pad=0):
    """The gradient with respect to x_pad, padding and all: the reference's dx for an input padded beforehand."""
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    return reference.conv2d_backward(dout, reference.conv2d_forward(x_pad, w, b, stride, 0)[1])


def _windows(dout: np.ndarray, stride: int, HH: int, WW: int):
    """(i, j, rows, cols) of every output position, in row-major order."""
    for i, j in np.ndindex(*dout.shape[2:]):
        yield i, j, slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)


def _dx_assigned(every_filter: bool):
    """dx when each window's share is assigned (=) into dx_pad, so that of overlapping windows only the
    last one's stays: the last filter's share (a loop over filters), or every filter's summed."""
    def gradients(reference, right, dout, x, w, b, stride=1, pad=0):
        N, C, H, W = x.shape
        F, _, HH, WW = w.shape
        dx_pad = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
        for i, j, rows, cols in _windows(dout, stride, HH, WW):
            dx_pad[:, :, rows, cols] = np.tensordot(dout[:, :, i, j], w, axes=(1, 0)) if every_filter else \
                dout[:, F - 1, i, j][:, None, None, None] * w[F - 1]
        return dx_pad[:, :, pad:pad + H, pad:pad + W], *right[1:]
    return gradients


def _dw_assigned(every_sample: bool):
    """dw when each window's contribution is assigned (=): only the last window's stays, for the last
    sample (a loop over samples) or summed over the batch."""
    def gradients(reference, right, dout, x, w, b, stride=1, pad=0):
        x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        *_, (i, j, rows, cols) = _windows(dout, stride, *w.shape[2:])
        samples = slice(None) if every_sample else slice(len(x) - 1, len(x))
        return right[0], np.tensordot(dout[samples, :, i, j], x_pad[samples, :, rows, cols], axes=(0, 0)), right[2]
    return gradients


def _stride_ignored(in_dw: bool):
    """dx (and dw, with `in_dw`) with window (i, j) at (i, j) instead of (i*stride, j*stride)."""
    def gradients(reference, right, dout, x, w, b, stride=1, pad=0):
        H, W = x.shape[2:]
        HH, WW = w.shape[2:]
        x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        dx_pad, dw = np.zeros(x_pad.shape), np.zeros(w.shape) if in_dw else right[1]
        for i, j, _, _ in _windows(dout, stride, HH, WW):
            rows, cols = slice(i, i + HH), slice(j, j + WW)
            dx_pad[:, :, rows, cols] += np.tensordot(dout[:, :, i, j], w, axes=(1, 0))
            if in_dw:
                dw += np.tensordot(dout[:, :, i, j], x_pad[:, :, rows, cols], axes=(0, 0))
        return dx_pad[:, :, pad:pad + H, pad:pad + W], dw, right[2]
    return gradients


MISTAKES = (
    either_mistake("padding on one side only",
                   "Your output matches a convolution whose 2*pad zeros all went on one side of each row and "
                   "column: pad every side by `pad`, e.g. np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))).",
                   layer_mistake(LAYER, "", "", forward=_one_sided_padding(before=False)),
                   layer_mistake(LAYER, "", "", forward=_one_sided_padding(before=True))),
    layer_mistake(LAYER, "flipped kernel (true convolution)",
                  "Your output is a true convolution, with the kernel flipped: deep-learning conv2d is "
                  "cross-correlation, w[f, c, 0, 0] meets the window's top-left pixel.",
                  forward=lambda reference, x, w, b, stride, pad: reference.conv2d_forward(
                      x, w[:, :, ::-1, ::-1], b, stride=stride, pad=pad)[0]),
    layer_mistake(LAYER, "db averaged over the batch",
                  "Your db is the batch mean of dout's sums, N times too small: db sums over the batch "
                  "(and over output positions), dout.sum(axis=(0, 2, 3)).",
                  gradients=lambda reference, right, dout, x, w, b, stride, pad: (*right[:2], right[2] / len(x))),
    layer_mistake(LAYER, "db averaged over every axis",
                  "Your db is dout.mean(axis=(0, 2, 3)), N*H'*W' times too small: each bias is added at every "
                  "output position of every sample, so db sums them, dout.sum(axis=(0, 2, 3)).",
                  gradients=lambda reference, right, dout, x, w, b, stride, pad: (
                      *right[:2], dout.mean(axis=(0, 2, 3)))),
    layer_mistake(LAYER, "dx still padded",
                  "Your dx is the gradient of the padded input, shape (N, C, H + 2*pad, W + 2*pad): crop the "
                  "padding off, dx_pad[:, :, pad:pad + H, pad:pad + W]; what lands on it belongs to no input.",
                  gradients=_dx_still_padded),
    layer_mistake(LAYER, "dx cropped with pad:-pad, empty at pad = 0",
                  "Your dx is dx_pad[:, :, pad:-pad, pad:-pad], right for pad > 0 but empty for pad = 0, where "
                  "0:-0 selects nothing: crop with dx_pad[:, :, pad:pad + H, pad:pad + W].",
                  gradients=lambda reference, right, dout, x, w, b, stride, pad: (  # 0:-0 selects nothing
                      right[0][:, :, 0:0, 0:0] if pad == 0 else right[0], *right[1:])),
    either_mistake("backward ignores the stride",
                   "Your backward's windows start at (i, j), not at (i*stride, j*stride) as the forward's do: "
                   "send dout[n, f, i, j] back to x_pad[n, :, i*stride:i*stride+HH, j*stride:j*stride+WW].",
                   layer_mistake(LAYER, "", "", gradients=_stride_ignored(in_dw=False)),
                   layer_mistake(LAYER, "", "", gradients=_stride_ignored(in_dw=True))),
    either_mistake("dx assigned, not added",
                   "Your dx assigns (=) each share into dx_pad, so only the last one stays where shares meet "
                   "(several filters, or overlapping windows when stride < kernel size): add them, "
                   "dx_pad[n, :, rows, cols] += w[f] * dout[n, f, i, j].",
                   layer_mistake(LAYER, "", "", gradients=_dx_assigned(every_filter=False)),
                   layer_mistake(LAYER, "", "", gradients=_dx_assigned(every_filter=True))),
    either_mistake("dw assigned, not added",
                   "Your dw holds only the last window's contribution: add every sample's and every output "
                   "position's contribution into dw (+=), dw[f] += window * dout[n, f, i, j].",
                   layer_mistake(LAYER, "", "", gradients=_dw_assigned(every_sample=False)),
                   layer_mistake(LAYER, "", "", gradients=_dw_assigned(every_sample=True))),
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
