"""lora: low-rank adaptation of a frozen linear layer, forward and backward.

w and b are frozen (the layer's constants: no gradient); x, lora_a and lora_b are differentiated. N, D_in, D_out
and r differ in every case, so that a swapped or transposed gradient shows as a shape, and alpha != r throughout
(alpha / r = 4 and 0.5), so that a scale of alpha, or of 1, shows as a value.
"""
import numpy as np

from grader.checks.contrast import Feature
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake


def _case(name: str, n: int, d_in: int, d_out: int, r: int, alpha: float, make=None) -> Case:
    return Case(name, {"x": (n, d_in), "w": (d_in, d_out), "b": (d_out,), "lora_a": (d_in, r), "lora_b": (r, d_out)},
                {"alpha": alpha}, make=make)


def _b_zero(rng, shapes: dict) -> dict:
    """N(0, 1) draws, but lora_b = 0: LoRA's initialisation."""
    arrays = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
    arrays["lora_b"] = np.zeros(shapes["lora_b"])
    return arrays


# Small, so that numerical gradients cover every element of x, lora_a and lora_b.
LAYER = Layer(
    forward="lora_forward", backward="lora_backward", inputs=("x", "lora_a", "lora_b"), constants=("w", "b"),
    cases=(_case("alpha / r = 4", 4, 5, 3, 2, alpha=8.0), _case("alpha / r = 0.5", 3, 6, 7, 3, alpha=1.5)),
    edges=(
        Edge("lora_b = 0 (the usual start)", _case("lora_b = 0", 4, 5, 6, 2, alpha=16.0, make=_b_zero),
             why="with lora_b = 0 out is x @ w + b and dlora_a is exactly 0 (it flows through lora_b), while "
                 "dlora_b = scale * (x @ lora_a).T @ dout is not"),
        Edge("rank r = 1", _case("r = 1", 3, 4, 5, 1, alpha=4.0),
             why="with r = 1 lora_a is (D_in, 1) and lora_b is (1, D_out): keep the rank axis, and scale by "
                 "alpha / 1"),
        Edge("N = 1", _case("one example", 1, 5, 4, 2, alpha=6.0), why="x is (1, D_in) and out is (1, D_out)"),
    ),
    # Below OpenBLAS's threading threshold (m*n*k < 262144 per product), as linear's.
    speed_case=_case("speed", 64, 48, 64, 8, alpha=16.0),
    dims={"x": "N D_in", "w": "D_in D_out", "lora_a": "D_in r", "lora_b": "r D_out", "out": "N D_out"},
    # Tried before alpha's values, which would otherwise name a coincidence ("only where alpha < 16").
    features=(Feature("lora_b = 0", lambda case: case.make is _b_zero, negation="lora_b != 0"),
              Feature("r = 1", lambda case: case.shapes["lora_a"][1] == 1, negation="r > 1")),
    backward_twice=True,
    derived=lambda q: {"alpha/r": q["alpha"] / q["r"]} if "alpha" in q and "r" in q else {},
)


def _scaled(scale):
    """A forward scaled by scale(alpha, r) instead of alpha / r."""
    return lambda reference, x, w, b, lora_a, lora_b, alpha: \
        x @ w + b + scale(alpha, lora_a.shape[1]) * ((x @ lora_a) @ lora_b)


def _unscaled_backward(reference, right, dout, x, w, b, lora_a, lora_b, alpha):
    """The forward's scale left out of backward: the low-rank path's gradients as if alpha / r were 1."""
    scale = alpha / lora_a.shape[1]
    return dout @ w.T + (right[0] - dout @ w.T) / scale, right[1] / scale, right[2] / scale


MISTAKES = (
    layer_mistake(LAYER, "scaled by alpha instead of alpha / r",
                  "Your low-rank term is alpha * (x @ lora_a) @ lora_b, r times too large: LoRA scales it by "
                  "alpha / r, r = lora_a.shape[1], so that changing the rank does not change the update's size.",
                  forward=_scaled(lambda alpha, r: alpha)),
    layer_mistake(LAYER, "no scaling",
                  "Your low-rank term is (x @ lora_a) @ lora_b, unscaled: multiply it by alpha / r, r = "
                  "lora_a.shape[1] (alpha is not decoration: alpha = r is the only case where the scale is 1).",
                  forward=_scaled(lambda alpha, r: 1.0)),
    layer_mistake(LAYER, "scale left out of backward",
                  "Your forward scales the low-rank term by alpha / r but your backward does not: every gradient "
                  "through that term (dlora_a, dlora_b and dx's low-rank part) carries the same factor alpha / r.",
                  forward=lambda reference, *arrays, alpha: reference.lora_forward(*arrays, alpha=alpha)[0],
                  gradients=_unscaled_backward),
    layer_mistake(LAYER, "dx misses the low-rank path",
                  "Your dx is dout @ w.T, the frozen layer's alone: x also feeds x @ lora_a, so dx adds "
                  "(alpha / r) * dout @ lora_b.T @ lora_a.T. Frozen weights pass gradients on; they only get none.",
                  gradients=lambda reference, right, dout, x, w, b, lora_a, lora_b, alpha:
                  (dout @ w.T, *right[1:])),
    layer_mistake(LAYER, "dlora_a and dlora_b swapped or transposed",
                  "Your LoRA gradients have the wrong layout: return (dx, dlora_a, dlora_b) in that order, dlora_a "
                  "shaped like lora_a (D_in, r) = x.T @ dh and dlora_b like lora_b (r, D_out) = scale * h.T @ dout, "
                  "with h = x @ lora_a and dh = scale * dout @ lora_b.T.",
                  gradients=(lambda reference, right, dout, *arrays, alpha: (right[0], right[2], right[1]),
                             lambda reference, right, dout, *arrays, alpha: (right[0], right[1].T, right[2]),
                             lambda reference, right, dout, *arrays, alpha: (right[0], right[1], right[2].T),
                             lambda reference, right, dout, *arrays, alpha: (right[0], right[2].T, right[1].T))),
)

KATA = layer_kata(
    LAYER, name="lora", title="LoRA: a frozen linear layer plus a low-rank update, forward and backward",
    mistakes=MISTAKES,
    hints=(
        "It is a linear layer plus a second, thin path through an r-wide bottleneck; only the thin path's "
        "weights get gradients, but x gets gradient from both paths. Mind the scale: alpha / r.",
        "Forward: h = x @ lora_a (N, r), out = x @ w + b + scale * h @ lora_b with scale = alpha / r; cache x, "
        "w, lora_a, lora_b, h and scale. Backward: first the gradient at h, then each of dx, dlora_a, dlora_b "
        "from it with the shapes choosing the transposes.",
        "dh = scale * dout @ lora_b.T; dx = dout @ w.T + dh @ lora_a.T; dlora_a = x.T @ dh; "
        "dlora_b = scale * h.T @ dout. At lora_b = 0, dh = 0 so dlora_a = 0 while dlora_b is not.",
    ),
)
