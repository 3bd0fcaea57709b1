"""linear: a fully connected layer on (N, d_1, ..., d_k) data, forward and backward.

x of 2, 3 and 4 dimensions in the cases, so that an x that is not flattened, or a dx that is not reshaped
back, shows; N != M and D != M throughout, so that a transposed weight or a sum over the wrong axis shows as a
shape.
"""
import math

from grader.checks.contrast import Feature
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake


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
        Edge("square w (D = M)", _case("D = M = 4", x=(5, 2, 2), m=4),
             why="w is (D, M) and out = x_flat @ w; with D = M a transposed w still fits, so only the values "
                 "tell"),
    ),
    # Below OpenBLAS's threading threshold (m*n*k < 262144 per product): a
    # multithreaded product in the learner's process competes for the cores
    # with the grader's own BLAS threads: the reference, graded as a
    # learner's file, read up to 50x the reference's time.
    speed_case=_case("speed", x=(32, 4, 4, 4), m=64),
    dims={"x": "N", "w": "D M", "out": "N M"},
    features=(Feature("x has more than two axes", lambda case: len(case.shapes["x"]) > 2, negation="x is 2-D"),),
)

MISTAKES = (
    layer_mistake(LAYER, "weights transposed",
                  "Your output is x_flat @ w.T + b, PyTorch's nn.Linear convention for a weight of shape (M, D): "
                  "here w is (D, M) and out = x_flat @ w + b.",
                  forward=lambda reference, x, w, b: x.reshape(len(x), -1) @ w.T + b),
    layer_mistake(LAYER, "db averaged over the batch",
                  "Your db is the batch mean of dout, N times too small: b is added to every example, so their "
                  "gradients add up, db = dout.sum(axis=0) (the loss's 1/N is already in dout).",
                  gradients=lambda reference, right, dout, x, w, b: (*right[:2], right[2] / len(dout))),
    layer_mistake(LAYER, "db summed over the outputs",
                  "Your db has one entry per example, dout summed over axis 1: b has one entry per output, so "
                  "sum over the batch, dout.sum(axis=0).",
                  gradients=lambda reference, right, dout, x, w, b: (*right[:2], dout.sum(axis=1))),
    layer_mistake(LAYER, "dx left flat",
                  "Your dx has shape (N, D), the flattened x: reshape it back to x.shape.",
                  gradients=lambda reference, right, dout, x, w, b: (right[0].reshape(len(dout), -1), *right[1:])),
)

KATA = layer_kata(
    LAYER, name="linear", title="fully connected layer forward and backward (x of any rank)", mistakes=MISTAKES,
    hints=(
        "Flatten each example to one row first. In backward, ask what shape each gradient must have and "
        "which axis it sums over.",
        "Reshape x to (N, D), D the product of the other axes, and compute out = x_flat @ w + b. Backward: "
        "dx from dout and w, reshaped back to x's shape; dw from x_flat and dout; db sums dout over the "
        "batch.",
        "Let the shapes choose the transposes: dw = x_flat.T @ dout is (D, N) @ (N, M) = (D, M), and dx "
        "comes the same way from dout and w, then .reshape(x.shape).",
    ),
)
