"""conv2d: forward and backward of a 2-D convolution (cross-correlation), as the contract states."""
import numpy as np

from grader.checks.contrast import Feature
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake, window_features


def _case(name: str, x: tuple, w: tuple, stride: int, pad: int) -> Case:
    return Case(name, {"x": x, "w": w, "b": (w[0],)}, {"stride": stride, "pad": pad})


# Small, so that numerical gradients cover every element even for nested loops; H != W so swapped axes show.
LAYER = Layer(
    forward="conv2d_forward", backward="conv2d_backward", inputs=("x", "w", "b"),
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
        Feature("windows overlap (stride < HH or WW)", lambda case: case.params["stride"] < max(case.shapes["w"][2:]),
                negation="windows do not overlap (stride >= HH and WW)"),
        *window_features(lambda case: case.shapes["w"][2:]),
    ),
)


def _padded(x: np.ndarray, before: int, after: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))


def _one_sided_padding(before: bool):
    """The convolution of x with all 2*pad zeros before (or after) each row and column."""
    def forward(reference, x, w, b, stride=1, pad=0):
        x_pad = _padded(x, 2 * pad, 0) if before else _padded(x, 0, 2 * pad)
        return reference.conv2d_forward(x_pad, w, b, stride=stride, pad=0)[0]
    return forward


def _dx_assigned(every_filter: bool):
    """dx when each window's share is assigned (=) into dx_pad, so that of overlapping windows only the
    last one's stays: the last filter's share (a loop over filters), or every filter's summed."""
    def gradients(reference, right, dout, x, w, b, stride=1, pad=0):
        HH, WW = w.shape[2:]
        filters = slice(None) if every_filter else slice(-1, None)
        dx_pad = np.zeros(_padded(x, pad, pad).shape)
        for i, j in np.ndindex(*dout.shape[2:]):
            share = np.tensordot(dout[:, filters, i, j], w[filters], axes=(1, 0))
            dx_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW] = share
        return dx_pad[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]], *right[1:]
    return gradients


def _dw_assigned(every_sample: bool):
    """dw when each window's contribution is assigned (=): only the last window's stays, for the last
    sample (a loop over samples) or summed over the batch: the backward of dout there alone."""
    def gradients(reference, right, dout, x, w, b, stride=1, pad=0):
        last = np.zeros(dout.shape)  # dout at the last output position, of the samples that count
        samples = slice(None) if every_sample else slice(-1, None)
        last[samples, :, -1, -1] = dout[samples, :, -1, -1]
        return right[0], reference.conv2d_backward(last, reference.conv2d_forward(x, w, b, stride, pad)[1])[1], right[2]
    return gradients


def _stride_ignored(in_dw: bool):
    """dx (and dw, with `in_dw`) with window (i, j) at (i, j) instead of (i*stride, j*stride): the stride-1
    backward, given dout in the top-left corner of its output and zeros elsewhere."""
    def gradients(reference, right, dout, x, w, b, stride=1, pad=0):
        out, cache = reference.conv2d_forward(x, w, b, stride=1, pad=pad)
        cornered = np.zeros(out.shape)
        cornered[:, :, :dout.shape[2], :dout.shape[3]] = dout
        dx, dw, _ = reference.conv2d_backward(cornered, cache)
        return dx, dw if in_dw else right[1], right[2]
    return gradients


MISTAKES = (  # as what they compute (see layer_mistake); `right` is the reference's (dx, dw, db)
    layer_mistake(LAYER, "padding on one side only",
                  "Your output matches a convolution whose 2*pad zeros all went on one side of each row and "
                  "column: pad every side by `pad`, e.g. np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))).",
                  forward=(_one_sided_padding(before=False), _one_sided_padding(before=True))),
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
                  gradients=lambda reference, right, dout, x, w, b, stride, pad: reference.conv2d_backward(
                      dout, reference.conv2d_forward(_padded(x, pad, pad), w, b, stride, 0)[1])),  # dx of x_pad
    layer_mistake(LAYER, "dx cropped with pad:-pad, empty at pad = 0",
                  "Your dx is dx_pad[:, :, pad:-pad, pad:-pad], right for pad > 0 but empty for pad = 0, where "
                  "0:-0 selects nothing: crop with dx_pad[:, :, pad:pad + H, pad:pad + W].",
                  gradients=lambda reference, right, dout, x, w, b, stride, pad: (  # 0:-0 selects nothing
                      right[0][:, :, 0:0, 0:0] if pad == 0 else right[0], *right[1:])),
    layer_mistake(LAYER, "backward ignores the stride",
                  "Your backward's windows start at (i, j), not at (i*stride, j*stride) as the forward's do: "
                  "send dout[n, f, i, j] back to x_pad[n, :, i*stride:i*stride+HH, j*stride:j*stride+WW].",
                  gradients=(_stride_ignored(in_dw=False), _stride_ignored(in_dw=True))),
    layer_mistake(LAYER, "dx assigned, not added",
                  "Your dx assigns (=) each share into dx_pad, so only the last one stays where shares meet "
                  "(several filters, or overlapping windows when stride < kernel size): add them, "
                  "dx_pad[n, :, rows, cols] += w[f] * dout[n, f, i, j].",
                  gradients=(_dx_assigned(every_filter=False), _dx_assigned(every_filter=True))),
    layer_mistake(LAYER, "dw assigned, not added",
                  "Your dw holds only the last window's contribution: add every sample's and every output "
                  "position's contribution into dw (+=), dw[f] += window * dout[n, f, i, j].",
                  gradients=(_dw_assigned(every_sample=False), _dw_assigned(every_sample=True))),
)

KATA = layer_kata(
    LAYER, name="conv2d", title="2-D convolution forward and backward (stride, zero padding)", mistakes=MISTAKES,
    hints=(
        "Each output value is one window of the padded input times one filter, summed, plus that filter's "
        "bias; backward sends each dout value back along the same window.",
        "Pad x, then for every output position take the window x_pad[n, :, i*stride:i*stride+HH, "
        "j*stride:j*stride+WW]. In backward, add window * dout[n, f, i, j] into dw[f] and w[f] * dout[n, f, "
        "i, j] into the same window of dx_pad, crop the padding off dx_pad, and sum dout for db.",
        "out[n, f, i, j] = sum(x_pad[n, :, i*stride:i*stride+HH, j*stride:j*stride+WW] * w[f]) + b[f], "
        "with H' = 1 + (H + 2*pad - HH) // stride.",
    ),
)
