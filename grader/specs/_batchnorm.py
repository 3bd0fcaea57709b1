"""What batchnorm and spatial_batchnorm share: the running statistics and the mode rules.

Both katas take (x, gamma, beta, bn_param) and differ only in the shape of x
and which axes the statistics run over, so one builder serves both.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.checks.compare import compare_arrays, input_scale
from grader.checks.contrast import Feature
from grader.checks.session import Session
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.authoring.layer import Case, Edge, Layer, either_mistake, layer_checks, layer_mistake, layer_speed
from grader.checks.returns import expect_raises


def make_inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x with a scale and offset of its own (so mean and variance matter), gamma and beta random."""
    x = 3.0 * rng.standard_normal(shapes["x"]) + rng.uniform(-2, 2)
    return {"x": x, "gamma": rng.standard_normal(shapes["gamma"]), "beta": rng.standard_normal(shapes["beta"])}


def _offset_inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    inputs = make_inputs(rng, shapes)
    inputs["x"] = rng.standard_normal(shapes["x"]) + 1e6
    return inputs


#: The running statistics' own run: a large eps on unit-variance x, where eps leaking into
#: running_var (var + eps computed once and reused) is a third of the value, not a millionth.
LEAK_EPS = 0.5


def batchnorm_kata(name: str, title: str, x_shapes: tuple[tuple[int, ...], ...],
                   one_sample: tuple[int, ...], speed_shape: tuple[int, ...], hints: tuple[str, ...],
                   dims: str, forward_mistakes: tuple[tuple[str, str, Callable], ...] = ()) -> Kata:
    """The kata `name`, whose x takes the shapes given, with D or C = x_shape[1] features.

    Both katas share the known mistakes below; `forward_mistakes` adds the
    kata's own, each (name, explanation, buggy forward) as for `layer_mistake`.
    `dims` names x's axes ("N D").
    """
    forward, backward = f"{name}_forward", f"{name}_backward"

    def case(label: str, x_shape: tuple[int, ...], make=make_inputs, **bn_param) -> Case:
        features = (x_shape[1],)
        return Case(label, {"x": x_shape, "gamma": features, "beta": features},
                    {"bn_param": {"mode": "train", **bn_param}}, make=make)

    layer = Layer(
        forward=forward, backward=backward, inputs=("x", "gamma", "beta"),
        cases=(case("train mode, defaults", x_shapes[0]),
               case("train mode, eps 1e-3", x_shapes[1], eps=1e-3, momentum=0.5),
               case("train mode, more samples", x_shapes[2])),
        edges=(
            Edge("N = 1", case("one sample", one_sample),
                 why="with one sample the batch variance is 0: out = beta, and gradients stay finite"),
            Edge("large common offset (1e6)", case("x = N(0, 1) + 1e6", x_shapes[0], make=_offset_inputs),
                 why="compute the variance as mean((x - mean)**2), not mean(x**2) - mean**2",
                 gradients="none"),
        ),
        speed_case=case("speed", speed_shape),
        dims={"x": dims, "out": dims},
        features=(Feature("eps", lambda case: case.params["bn_param"].get("eps", 1e-5)),),
    )
    rules = _ModeRules(forward, x_shapes[0])
    extra = (
        Check("running statistics (train mode)", "value", rules.running_statistics),
        Check("test mode uses the running statistics", "edge", rules.test_mode_values),
        Check("test mode leaves running statistics unchanged", "edge", rules.test_mode_unchanged),
        Check("unknown mode raises ValueError", "edge", rules.unknown_mode),
    )
    # Only where a statistic runs over more values than the batch size, (N, C, H, W) data.
    spatial = (layer_mistake(layer, "backward divides by N, not by N*H*W",
                             "Your dx divides the mean's and the variance's terms by N: each channel's statistics "
                             "run over N*H*W values, so divide by N*H*W.", gradients=_backward_over_n),
               ) if len(x_shapes[0]) == 4 else ()
    mistakes = (
        layer_mistake(layer, "backward ignores how mean and variance depend on x",
                      "Your dx is dout*gamma/std, as if the batch mean and variance were constants: add the "
                      "two terms that flow through them (see the third hint).",
                      gradients=_backward_ignoring_statistics),
        layer_mistake(layer, "unbiased variance",
                      "Your output matches normalising by the unbiased variance (ddof=1, divide by the count "
                      "minus 1): batch norm uses the biased variance, the mean of (x - mean)**2.",
                      forward=lambda reference, x, gamma, beta, bn_param: train_forward(x, gamma, beta, bn_param, ddof=1)),
        either_mistake("eps outside the square root",
                       "Your output matches (x - mean) / (sqrt(var) + eps): eps goes inside the root, "
                       "np.sqrt(var + eps), in train and in test mode alike.",
                       layer_mistake(layer, "", "", forward=lambda reference, x, gamma, beta, bn_param: train_forward(
                           x, gamma, beta, bn_param, eps_outside=True)),
                       KnownMistake("", "", rules.test_eps_outside)),
        layer_mistake(layer, "eps left out",
                      "Your output matches (x - mean) / sqrt(var), without eps: add eps under the root, "
                      "np.sqrt(var + eps), or a feature of variance 0 (a batch of one) gives 0/0.",
                      forward=lambda reference, x, gamma, beta, bn_param: train_forward(x, gamma, beta, {**bn_param, "eps": 0.0})),
        layer_mistake(layer, "divided by the variance, not the standard deviation",
                      "Your output matches (x - mean) / (var + eps): divide by the standard deviation, "
                      "np.sqrt(var + eps).",
                      forward=lambda reference, x, gamma, beta, bn_param: train_forward(x, gamma, beta, bn_param,
                                                                              root=lambda v: v)),
    ) + tuple(layer_mistake(layer, mistake, explanation, forward=lambda reference, *args, buggy=buggy, **params:
                            buggy(*args, **params)) for mistake, explanation, buggy in forward_mistakes) + spatial + (
        KnownMistake("momentum weights the new batch",
                     "Your running statistics keep (1 - momentum) of the old value and take momentum of the "
                     "batch's: it is running = momentum*running + (1 - momentum)*batch statistic.",
                     rules.momentum_swapped),
        KnownMistake("test mode updates the running statistics",
                     "Your test mode moves the running statistics towards the batch it normalises: update "
                     "them only in train mode.", rules.test_mode_updates),
        KnownMistake("eps in the running variance",
                     "Your running_var takes var + eps, computed once for the normalisation and reused: the "
                     "running variance is the plain biased batch variance, running_var = momentum*running_var "
                     "+ (1 - momentum)*var.", rules.eps_leaks),
    )
    return Kata(name=name, title=title, functions=(forward, backward),
                checks=layer_checks(layer, extra), speed=layer_speed(layer), hints=hints, mistakes=mistakes)


# Known mistakes, as what they compute; for (N, D) and (N, C, H, W) alike, feature axis 1.

def _feature_axes(x: np.ndarray) -> tuple[int, ...]:
    return tuple(axis for axis in range(x.ndim) if axis != 1)


def _per_feature(v: np.ndarray, like: np.ndarray) -> np.ndarray:
    """(D,) -> a shape that broadcasts along axis 1 of `like`."""
    return v.reshape((1, -1) + (1,) * (like.ndim - 2))


def _batch_statistics(x: np.ndarray, axes: tuple[int, ...], ddof: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance over `axes`, keepdims; NaN where ddof leaves nothing to divide by."""
    mean = x.mean(axis=axes, keepdims=True)
    count = x.size // mean.size
    with np.errstate(divide="ignore", invalid="ignore"):
        var = ((x - mean) ** 2).sum(axis=axes, keepdims=True) / (count - ddof)
    return mean, var


def train_forward(x, gamma, beta, bn_param, axes=None, ddof=0, root=np.sqrt, eps_outside=False):
    """Train-mode batch norm over `axes` (default: all but the features), as a known mistake varies it:
    `root` of var + eps, or with `eps_outside`, root(var) + eps."""
    mean, var = _batch_statistics(x, _feature_axes(x) if axes is None else axes, ddof)
    eps = bn_param.get("eps", 1e-5)
    with np.errstate(invalid="ignore", divide="ignore"):
        xhat = (x - mean) / (root(var) + eps if eps_outside else root(var + eps))
    return _per_feature(gamma, x) * xhat + _per_feature(beta, x)


def _normalised(x: np.ndarray, bn_param: dict) -> tuple[np.ndarray, np.ndarray]:
    """(xhat, 1/std) of train mode, the statistics over every axis but the features."""
    mean, var = _batch_statistics(x, _feature_axes(x))
    inv_std = 1 / np.sqrt(var + bn_param.get("eps", 1e-5))
    return (x - mean) * inv_std, inv_std


def _backward_over_n(reference, right, dout, x, gamma, beta, bn_param):
    """dx with the mean and variance terms divided by N, the batch size, instead of the number of values
    each statistic runs over (N*H*W for spatial batch norm)."""
    xhat, inv_std = _normalised(x, bn_param)
    axes, n = _feature_axes(dout), dout.shape[0]
    dxhat = dout * _per_feature(gamma, dout)
    dx = inv_std * (dxhat - dxhat.sum(axis=axes, keepdims=True) / n
                    - xhat * (dxhat * xhat).sum(axis=axes, keepdims=True) / n)
    return dx, *right[1:]


def _backward_ignoring_statistics(reference, right, dout, x, gamma, beta, bn_param):
    """dx as if mean and var were constants; dgamma and dbeta right."""
    return dout * _per_feature(gamma, dout) * _normalised(x, bn_param)[1], *right[1:]


def _describe(bn_param: dict) -> str:
    """{'mode': 'train', 'momentum': 0.7, 'running_mean': (3,) array}: for messages."""
    items = [f"{key!r}: {'an array' if isinstance(value, np.ndarray) else repr(value)}" for key, value in bn_param.items()]
    return "{" + ", ".join(items) + "}"


class _ModeRules:
    """Checks of bn_param: the running-statistics update and the modes."""

    def __init__(self, forward: str, x_shape: tuple[int, ...]):
        self.forward = forward
        self.x_shape = x_shape

    def _inputs(self, session: Session, *key) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, gamma, beta for the run `key`; x of unit variance for the large-eps run, else make_inputs'."""
        features = (self.x_shape[1],)
        inputs = make_inputs(session.rng("modes", *key), {"x": self.x_shape, "gamma": features, "beta": features})
        if key == ("large eps",):
            inputs["x"] = session.rng("modes", "unit variance").standard_normal(self.x_shape)
        return inputs["x"], inputs["gamma"], inputs["beta"]

    def _running(self, session: Session, *key) -> dict[str, np.ndarray]:
        rng = session.rng("running", *key)
        features = self.x_shape[1]
        return {"running_mean": rng.standard_normal(features), "running_var": rng.uniform(0.5, 2.0, features)}

    def _run(self, session: Session, bn_param: dict, key: str) -> tuple[np.ndarray, dict, dict]:
        """(learner's out, learner's bn_param after the call, reference's bn_param after); once per key."""
        return session.memo(("bn_param", self.forward, key), lambda: self._call(session, bn_param, key))

    def _call(self, session: Session, bn_param: dict, key: str) -> tuple[np.ndarray, dict, dict]:
        x, gamma, beta = self._inputs(session, key)
        with session.about(f"bn_param {_describe(bn_param)}"):
            returned = session.call(self.forward, x, gamma, beta, send=(0,), return_args=True, bn_param=bn_param)
        if not isinstance(returned.value, (tuple, list)) or len(returned.value) != 2:
            raise CheckFailed(f"{self.forward} must return a tuple (out, cache)")
        after = returned.args_after[1]["bn_param"]
        reference_param = {key: (value.copy() if isinstance(value, np.ndarray) else value)
                           for key, value in bn_param.items()}
        getattr(session.reference, self.forward)(x, gamma, beta, reference_param)
        return returned.value[0], after, reference_param

    def _compare_running(self, learner: object, reference: dict, what: str, scale: float = 1.0) -> None:
        if not isinstance(learner, dict):
            raise CheckFailed(f"{what}: bn_param is no longer a dict")
        for key in ("running_mean", "running_var"):
            got = learner.get(key)
            if not isinstance(got, np.ndarray) or got.shape != reference[key].shape:
                raise CheckFailed(f"{what}: bn_param[{key!r}] should be an array of shape "
                                  f"{reference[key].shape}; it is {got!r:.60}")
            mismatch = compare_arrays(key, reference[key], got, scale)
            if mismatch:
                raise CheckFailed(f"{what}: {mismatch.describe()}")

    def running_statistics(self, session: Session) -> None:
        _, after, reference = self._run(session, {"mode": "train"}, "defaults")
        self._compare_running(after, reference, "from defaults (momentum 0.9, running stats zeros), "
                                                "running = momentum*running + (1 - momentum)*batch statistic "
                                                "with the biased (divide by N) variance")
        given = {"mode": "train", "momentum": 0.7, **self._running(session, "train")}
        _, after, reference = self._run(session, given, "given")
        self._compare_running(after, reference, "with momentum 0.7 and given running stats")
        _, after, reference = self._run(session, {"mode": "train", "eps": LEAK_EPS}, "large eps")
        self._compare_running(after, reference, f"with eps {LEAK_EPS} on unit-variance x, running_var takes the "
                                                f"plain biased batch variance (eps only in the normalisation)")

    def test_mode_values(self, session: Session) -> None:
        bn_param = {"mode": "test", "eps": 1e-3, **self._running(session, "test")}
        out, _, _ = self._run(session, bn_param, "test")
        x, gamma, beta = self._inputs(session, "test")
        expected, _ = getattr(session.reference, self.forward)(x, gamma, beta, dict(bn_param))
        if not isinstance(out, np.ndarray) or out.shape != expected.shape:
            raise CheckFailed(f"test mode: out should have shape {expected.shape}")
        scale = input_scale(x, gamma, beta, bn_param["running_mean"], bn_param["running_var"])
        mismatch = compare_arrays("out", expected, out, scale)
        if mismatch:
            with_batch = train_forward(x, gamma, beta, bn_param)
            rule = ("test mode normalises with running_mean and running_var, not the batch's statistics"
                    if compare_arrays("out", with_batch, out, scale) is None else
                    "test mode: out = gamma * (x - running_mean) / sqrt(running_var + eps) + beta")
            raise CheckFailed(f"{rule}: {mismatch.describe()}")

    def test_eps_outside(self, session: Session) -> bool:
        """Test mode's out is gamma * (x - running_mean) / (sqrt(running_var) + eps) + beta."""
        bn_param = {"mode": "test", "eps": 1e-3, **self._running(session, "test")}
        out, _, _ = self._run(session, bn_param, "test")
        x, gamma, beta = self._inputs(session, "test")
        shaped = [_per_feature(value, x) for value in (bn_param["running_mean"], bn_param["running_var"], gamma, beta)]
        mean, var, gamma, beta = shaped
        wrong = gamma * (x - mean) / (np.sqrt(var) + bn_param["eps"]) + beta
        return isinstance(out, np.ndarray) and out.shape == wrong.shape and compare_arrays("out", wrong, out) is None

    def test_mode_unchanged(self, session: Session) -> None:
        bn_param = {"mode": "test", **self._running(session, "unchanged")}
        _, after, _ = self._run(session, bn_param, "unchanged")
        self._compare_running(after, bn_param, "test mode must leave the running statistics as they were")

    # -- known mistakes of the running statistics: what the learner stored vs a buggy update here

    def _running_matches(self, session: Session, bn_param: dict, key: str, weight_old: float,
                         var_offset: float = 0.0) -> bool:
        """Whether the learner stored running = weight_old*running + (1 - weight_old)*batch statistic,
        the batch variance plus `var_offset`."""
        _, after, _ = self._run(session, bn_param, key)
        x, _, _ = self._inputs(session, key)
        mean, var = (v.ravel() for v in _batch_statistics(x, _feature_axes(x)))
        for name, batch in (("running_mean", mean), ("running_var", var + var_offset)):
            got = after.get(name) if isinstance(after, dict) else None
            mistaken = weight_old * bn_param.get(name, np.zeros(len(batch))) + (1 - weight_old) * batch
            if not isinstance(got, np.ndarray) or got.shape != mistaken.shape or compare_arrays(name, mistaken, got):
                return False
        return True

    def momentum_swapped(self, session: Session) -> bool:
        momentum = 0.7  # the "given" run of running_statistics
        given = {"mode": "train", "momentum": momentum, **self._running(session, "train")}
        return self._running_matches(session, given, "given", weight_old=1 - momentum)

    def eps_leaks(self, session: Session) -> bool:
        """running_var = momentum*running_var + (1 - momentum)*(var + eps), in the large-eps run."""
        return self._running_matches(session, {"mode": "train", "eps": LEAK_EPS}, "large eps", weight_old=0.9,
                                     var_offset=LEAK_EPS)

    def test_mode_updates(self, session: Session) -> bool:
        bn_param = {"mode": "test", **self._running(session, "unchanged")}  # as test_mode_unchanged sends
        return self._running_matches(session, bn_param, "unchanged", weight_old=0.9)  # the default momentum

    def unknown_mode(self, session: Session) -> None:
        x, gamma, beta = self._inputs(session, "unknown")
        expect_raises(lambda: session.call(self.forward, x, gamma, beta, send=(), bn_param={"mode": "eval"}),
                      "ValueError", "mode 'eval'")
