"""layernorm: layer normalisation over the last axis -- a kata added the way an instructor adds one.

Three files make a kata: the stub katas/layernorm.py, the reference solutions/layernorm.py, and this spec.
Nothing in the engine changes.
"""
import numpy as np

from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake


def _inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """Rows with scales and offsets of their own, so that per-row statistics matter."""
    rows = (shapes["x"][0], 1)
    x = rng.standard_normal(shapes["x"]) * rng.uniform(0.5, 3, rows) + rng.uniform(-2, 2, rows)
    return {"x": x, "gamma": rng.standard_normal(shapes["gamma"]), "beta": rng.standard_normal(shapes["beta"])}


def _offset(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    inputs = _inputs(rng, shapes)
    inputs["x"] = rng.standard_normal(shapes["x"]) + 1e6
    return inputs


def _case(name: str, n: int, d: int, make=_inputs, **params) -> Case:
    return Case(name, {"x": (n, d), "gamma": (d,), "beta": (d,)}, params, make=make)


LAYER = Layer(
    forward="layernorm_forward", backward="layernorm_backward", inputs=("x", "gamma", "beta"),
    cases=(_case("N = 4, D = 6", 4, 6), _case("N = 3, D = 5, eps 1e-3", 3, 5, eps=1e-3), _case("N = 1, D = 8", 1, 8)),
    edges=(
        Edge("D = 1", _case("one feature", 3, 1), why="a row of one feature has variance 0: out = beta"),
        Edge("large common offset (1e6)", _case("x = N(0, 1) + 1e6", 4, 6, make=_offset), gradients="none",
             why="compute the variance as mean((x - mean)**2), not mean(x**2) - mean**2"),
    ),
    speed_case=_case("speed", 128, 256),
    dims={"x": "N D", "out": "N D"},
)


def _normalised(x, axis, eps):
    """(xhat, 1/std) with the statistics over `axis`."""
    inv_std = 1 / np.sqrt(x.var(axis=axis, keepdims=True) + eps)
    return (x - x.mean(axis=axis, keepdims=True)) * inv_std, inv_std


def _statistics_over_the_batch(reference, x, gamma, beta, eps=1e-5):
    return gamma * _normalised(x, 0, eps)[0] + beta


def _backward_ignoring_statistics(reference, right, dout, x, gamma, beta, eps=1e-5):
    """dx as if the mean and variance were constants; dgamma and dbeta right."""
    return dout * gamma * _normalised(x, -1, eps)[1], *right[1:]


KATA = layer_kata(
    LAYER, name="layernorm", title="layer normalisation over the last axis, forward and backward",
    hints=(
        "It is batchnorm turned sideways: which axis do the mean and variance run over now?",
        "Normalise each row by its own mean and (biased) variance with keepdims=True so they broadcast, "
        "then scale by gamma and shift by beta; in backward, dgamma and dbeta still sum over the batch.",
        "dx = inv_std/D * (D*dxhat - sum(dxhat) - xhat*sum(dxhat*xhat)), with dxhat = dout*gamma and "
        "the sums over each row.",
    ),
    mistakes=(
        layer_mistake(LAYER, "statistics over the batch",
                      "Your output normalises each feature over the batch, as batchnorm does: layernorm takes "
                      "the mean and variance of each row, over axis=-1.", forward=_statistics_over_the_batch),
        layer_mistake(LAYER, "backward ignores how mean and variance depend on x",
                      "Your dx is dout*gamma/std, as if the mean and variance were constants: add the two "
                      "terms that flow through them (see the third hint).", gradients=_backward_ignoring_statistics),
    ),
)
