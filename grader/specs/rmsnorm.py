"""rmsnorm: RMS normalisation over the last axis of (..., D) data (LLaMA's RMSNorm), forward and backward.

x of 2, 3 and 4 dimensions in the cases (dgamma sums over every leading axis), each vector with a scale of its
own, so that per-vector statistics matter. The cases' rms is 20 or more, so that eps is invisible there (under
1e-7 relative, where 1e-6 would be borderline and flip from seed to seed); the edges judge eps: small x (entries
of ~1e-3, mean square ~ eps) with eps left at its default, where 1e-5 or 1e-8 instead of 1e-6 changes out by
tens of percent (its gradients against the reference only: central differences with a step of 1e-5 are off by
~1e-5 there); eps=1e-2 given; D = 1. Every backward returns fresh arrays: backward is called twice with one cache.
"""
import numpy as np

from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.contrast import Feature


def _inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """|x| in [20, 60], each vector times a factor of its own in [1, 3]: every rms is at least 20, so that eps
    (1e-6, however a learner adds it) moves out by under 1e-7, below the agreement rule; the edges judge eps."""
    shape, vectors = shapes["x"], shapes["x"][:-1] + (1,)
    x = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(20, 60, shape) * rng.uniform(1, 3, vectors)
    return {"x": x, "gamma": rng.standard_normal(shapes["gamma"])}


def _near_one(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """Vectors with an rms of about 1 to 3: eps=1e-2 moves out by about 1e-3."""
    x = rng.standard_normal(shapes["x"]) * rng.uniform(1, 3, shapes["x"][:-1] + (1,))
    return {"x": x, "gamma": rng.standard_normal(shapes["gamma"])}


def _small(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """Entries of ~1e-3: the mean square is about the default eps, so eps's value shows plainly."""
    return {"x": rng.standard_normal(shapes["x"]) * 1e-3, "gamma": rng.standard_normal(shapes["gamma"])}


def _one_feature(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """|x| in [0.03, 0.3]: dx = gamma * eps / (x**2 + eps)**1.5 * dout is small but well above rounding."""
    x = rng.choice([-1.0, 1.0], size=shapes["x"]) * rng.uniform(0.03, 0.3, shapes["x"])
    return {"x": x, "gamma": rng.standard_normal(shapes["gamma"])}


def _case(name: str, x: tuple[int, ...], make=_inputs, **params) -> Case:
    return Case(name, {"x": x, "gamma": x[-1:]}, params, make=make)


# Small, so that numerical gradients cover every element of x and gamma.
LAYER = Layer(
    forward="rmsnorm_forward", backward="rmsnorm_backward", inputs=("x", "gamma"),
    cases=(_case("2-D x", (4, 6)), _case("3-D x", (2, 3, 5)), _case("4-D x", (2, 2, 3, 4))),
    edges=(
        Edge("default eps (small x)", _case("x ~ 1e-3, eps left at its default", (3, 5), make=_small),
             gradients="reference",
             why="the default eps is 1e-6 (LLaMA's), inside the square root: here the mean square of x is "
                 "about 1e-6 too, so another default changes out plainly"),
        Edge("eps given (1e-2)", _case("2-D x, eps=1e-2", (3, 4), make=_near_one, eps=1e-2),
             why="use the eps you are given, inside the square root: out = x / sqrt(mean(x**2) + eps) * gamma"),
        Edge("D = 1", _case("one feature", (4, 1), make=_one_feature),
             why="a vector of one feature has rms sqrt(x**2 + eps): out is about sign(x) * gamma and dx is small "
                 "but not 0"),
    ),
    speed_case=_case("speed", (4, 64, 256)),
    dims={"x": "N", "gamma": "D", "out": "N"},
    features=(Feature("x has more than two axes", lambda case: len(case.shapes["x"]) > 2, negation="x is 2-D"),
              Feature("eps is given", lambda case: "eps" in case.params, negation="eps is left at its default")),
    backward_twice=True,
)


def _rms(x, eps, axis=-1):
    return np.sqrt(np.mean(x * x, axis=axis, keepdims=True) + eps)


def _with_default(default):
    """The reference's forward, but with another default eps."""
    return lambda reference, x, gamma, eps=default: reference.rmsnorm_forward(x, gamma, eps)[0]


MISTAKES = (
    layer_mistake(LAYER, "mean subtracted (layernorm)",
                  "Your out is (x - mean) / sqrt(var + eps) * gamma, layernorm without beta: RMSNorm subtracts "
                  "no mean, out = x / sqrt(mean(x**2) + eps) * gamma.",
                  forward=lambda reference, x, gamma, eps=1e-6:
                  (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + eps) * gamma),
    layer_mistake(LAYER, "rms over the whole array",
                  "Your rms is one number for the whole array, np.mean(x**2) without an axis: each vector has its "
                  "own, the mean over the last axis, np.mean(x**2, axis=-1, keepdims=True).",
                  forward=lambda reference, x, gamma, eps=1e-6: x / np.sqrt(np.mean(x * x) + eps) * gamma),
    layer_mistake(LAYER, "eps outside the square root",
                  "Your out is x / (sqrt(mean(x**2)) + eps) * gamma: eps belongs inside the root, "
                  "x / sqrt(mean(x**2) + eps) * gamma, as in LLaMA and torch.nn.functional.rms_norm.",
                  forward=lambda reference, x, gamma, eps=1e-6: x / (_rms(x, 0.0) + eps) * gamma),
    layer_mistake(LAYER, "default eps 1e-5",
                  "Your default eps is 1e-5, PyTorch LayerNorm's: this kata's (LLaMA's) is 1e-6. It shows where "
                  "the mean square of x is small, about eps.",
                  forward=_with_default(1e-5)),
    layer_mistake(LAYER, "default eps too small",
                  "Your default eps is 1e-8 or less (torch.nn.RMSNorm's eps=None means machine epsilon): this "
                  "kata's default is 1e-6. It shows where the mean square of x is small, about eps.",
                  forward=(_with_default(1e-8), _with_default(0.0))),
    layer_mistake(LAYER, "dgamma summed over axis 0 only",
                  "For x of 3 or more dimensions your dgamma keeps the middle axes, summed over axis 0 only: every "
                  "vector shares gamma, so sum over every leading axis, (dout * xhat).reshape(-1, D).sum(axis=0).",
                  gradients=lambda reference, right, dout, x, gamma, eps=1e-6:
                  (right[0], (dout * x / _rms(x, eps)).sum(axis=0))),
    layer_mistake(LAYER, "dx ignores that the rms depends on x",
                  "Your dx is dout * gamma / rms, as if rms were a constant: it depends on every x of its vector, "
                  "which adds -xhat * mean(dxhat * xhat) / rms (see the third hint).",
                  gradients=lambda reference, right, dout, x, gamma, eps=1e-6: (dout * gamma / _rms(x, eps), right[1])),
)

KATA = layer_kata(
    LAYER, name="rmsnorm", title="RMS normalisation over the last axis (LLaMA's RMSNorm), forward and backward",
    mistakes=MISTAKES,
    hints=(
        "It is layernorm without the mean: divide each vector by its root mean square, over the last axis only. "
        "In backward, remember that the rms depends on x, and that gamma is shared by every vector.",
        "Forward: inv_rms = 1 / sqrt(mean(x**2, axis=-1, keepdims=True) + eps), xhat = x * inv_rms, "
        "out = xhat * gamma; cache xhat and inv_rms. Backward: dxhat = dout * gamma; dx has a direct part, "
        "dxhat * inv_rms, and one through inv_rms; dgamma sums dout * xhat over every axis but the last.",
        "dx = inv_rms * (dxhat - xhat * mean(dxhat * xhat, axis=-1, keepdims=True)), since d rms / d x_j = "
        "x_j / (D * rms); dgamma = (dout * xhat).reshape(-1, D).sum(axis=0).",
    ),
)
