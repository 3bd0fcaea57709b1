"""What batchnorm and spatial_batchnorm share: the running statistics and the mode rules.

Both katas take (x, gamma, beta, bn_param) and differ only in the shape of x and which axes the statistics
run over, so one builder serves both.
"""
from types import SimpleNamespace
from typing import Callable

import numpy as np

from grader.checks.compare import agree, compare_arrays, input_scale
from grader.checks.contrast import Feature
from grader.checks.session import Session
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake, either_mistake
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.returns import expect_raises


def make_inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x with a scale and offset of its own (so mean and variance matter), gamma and beta random."""
    x = 3.0 * rng.standard_normal(shapes["x"]) + rng.uniform(-2, 2)
    return {"x": x, "gamma": rng.standard_normal(shapes["gamma"]), "beta": rng.standard_normal(shapes["beta"])}


def _offset_inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    return {**make_inputs(rng, shapes), "x": rng.standard_normal(shapes["x"]) + 1e6}


#: The running statistics' own run: a large eps on unit-variance x, where eps leaking into
#: running_var (var + eps computed once and reused) is a third of the value, not a millionth.
LEAK_EPS = 0.5


def batchnorm_kata(name: str, title: str, x_shapes: tuple[tuple[int, ...], ...], one_sample: tuple[int, ...],
                   speed_shape: tuple[int, ...], dims: str, hints: tuple[str, ...],
                   own_mistakes: Callable[[Layer], tuple[KnownMistake, ...]] = lambda layer: ()) -> Kata:
    """The kata `name`, whose x takes the shapes given, with D or C = x_shape[1] features; `dims` names x's
    axes ("N D"). Both katas share the known mistakes below; `own_mistakes(layer)` adds the kata's own."""
    def case(label: str, x_shape: tuple[int, ...], make=make_inputs, **bn_param) -> Case:
        return Case(label, {"x": x_shape, "gamma": x_shape[1:2], "beta": x_shape[1:2]},
                    {"bn_param": {"mode": "train", **bn_param}}, make=make)

    layer = Layer(
        forward=f"{name}_forward", backward=f"{name}_backward", inputs=("x", "gamma", "beta"),
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
        speed_case=case("speed", speed_shape), dims={"x": dims, "out": dims},
        features=(Feature("eps", lambda case: case.params["bn_param"].get("eps", 1e-5)),),
    )
    modes = _Modes(layer)
    extra = (
        Check("running statistics (train mode)", "value", modes.running_statistics),
        Check("test mode uses the running statistics", "edge", modes.test_mode_values),
        Check("test mode leaves running statistics unchanged", "edge", modes.test_mode_unchanged),
        Check("unknown mode raises ValueError", "edge", modes.unknown_mode),
    )
    mistakes = (
        layer_mistake(layer, "backward ignores how mean and variance depend on x",
                      "Your dx is dout*gamma/std, as if the batch mean and variance were constants: add the two terms "
                      "that flow through them (see the third hint).", gradients=backward_ignoring_statistics),
        layer_mistake(layer, "unbiased variance",
                      "Your output matches normalising by the unbiased variance (ddof=1, divide by the count "
                      "minus 1): batch norm uses the biased variance, the mean of (x - mean)**2.",
                      forward=buggy_train(ddof=1)),
        either_mistake("eps outside the square root",
                       "Your output matches (x - mean) / (sqrt(var) + eps): eps goes inside the root, "
                       "np.sqrt(var + eps), in train and in test mode alike.",
                       layer_mistake(layer, "", "", forward=buggy_train(eps_outside=True)),
                       KnownMistake("", "", modes.test_eps_outside)),
        layer_mistake(layer, "eps left out",
                      "Your output matches (x - mean) / sqrt(var), without eps: add eps under the root, "
                      "np.sqrt(var + eps), or a feature of variance 0 (a batch of one) gives 0/0.",
                      forward=buggy_train(eps=0.0)),
        layer_mistake(layer, "divided by the variance, not the standard deviation",
                      "Your output matches (x - mean) / (var + eps): divide by the standard deviation, "
                      "np.sqrt(var + eps).", forward=buggy_train(root=lambda var: var)),
        *own_mistakes(layer),
        KnownMistake("momentum weights the new batch",
                     "Your running statistics keep (1 - momentum) of the old value and take momentum of the "
                     "batch's: it is running = momentum*running + (1 - momentum)*batch statistic.",
                     lambda session: modes.running_matches(session, "given", weight_old=1 - 0.7)),  # momentum 0.7
        KnownMistake("test mode updates the running statistics",
                     "Your test mode moves the running statistics towards the batch it normalises: update "
                     "them only in train mode.",
                     lambda session: modes.running_matches(session, "unchanged", weight_old=0.9)),  # the default
        KnownMistake("eps in the running variance",
                     "Your running_var takes var + eps, computed once for the normalisation and reused: the "
                     "running variance is the plain biased batch variance, running_var = momentum*running_var "
                     "+ (1 - momentum)*var.",
                     lambda session: modes.running_matches(session, "large eps", weight_old=0.9, var_offset=LEAK_EPS)),
    )
    return layer_kata(layer, name=name, title=title, hints=hints, mistakes=mistakes, extra=extra)


# Known mistakes, as what they compute; for (N, D) and (N, C, H, W) alike, feature axis 1.
def _per_feature(v: np.ndarray, like: np.ndarray) -> np.ndarray:
    """(D,) -> a shape that broadcasts along axis 1 of `like`."""
    return v.reshape((1, -1) + (1,) * (like.ndim - 2))


def _batch_statistics(x: np.ndarray, axes: tuple[int, ...] | None = None, ddof: int = 0) -> tuple[np.ndarray, ...]:
    """Mean and variance over `axes` (default: all but the features), keepdims; NaN where ddof leaves none."""
    axes = tuple(axis for axis in range(x.ndim) if axis != 1) if axes is None else axes
    mean = x.mean(axis=axes, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = ((x - mean) ** 2).sum(axis=axes, keepdims=True) / (x.size // mean.size - ddof)
    return mean, var


def train_forward(x, gamma, beta, bn_param, axes=None, ddof=0, root=np.sqrt, eps_outside=False, eps=None):
    """Train-mode batch norm over `axes` (default: all but the features), as a known mistake varies it:
    `root` of var + eps, or with `eps_outside`, root(var) + eps; `eps` instead of bn_param's."""
    mean, var = _batch_statistics(x, axes, ddof)
    eps = bn_param.get("eps", 1e-5) if eps is None else eps
    with np.errstate(invalid="ignore", divide="ignore"):
        xhat = (x - mean) / (root(var) + eps if eps_outside else root(var + eps))
    return _per_feature(gamma, x) * xhat + _per_feature(beta, x)


def buggy_train(**changes) -> Callable:
    return lambda reference, x, gamma, beta, bn_param: train_forward(x, gamma, beta, bn_param, **changes)


def backward_ignoring_statistics(reference, right, dout, x, gamma, beta, bn_param):
    """dx as if mean and var were constants, dout*gamma/std; dgamma and dbeta right."""
    var = _batch_statistics(x)[1]
    return dout * _per_feature(gamma, dout) * (1 / np.sqrt(var + bn_param.get("eps", 1e-5))), *right[1:]


#: The runs of the learner's forward that the rules of bn_param judge, each with a bn_param of its own:
#: {run: (bn_param, the key of the random running statistics it brings, if any)}.
_RUNS = {
    "defaults": ({"mode": "train"}, None),
    "given": ({"mode": "train", "momentum": 0.7}, "train"),
    "large eps": ({"mode": "train", "eps": LEAK_EPS}, None),
    "test": ({"mode": "test", "eps": 1e-3}, "test"),
    "unchanged": ({"mode": "test"}, "unchanged"),
}


class _Modes:
    """The rules of bn_param, rows and known mistakes: the running-statistics update and the modes."""

    def __init__(self, layer: Layer):
        self.layer = layer

    def inputs(self, session: Session, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, gamma, beta for the run `key`, as the first case's; x of unit variance for the large-eps run."""
        inputs = make_inputs(session.rng("modes", key), self.layer.cases[0].shapes)
        if key == "large eps":
            inputs["x"] = session.rng("modes", "unit variance").standard_normal(inputs["x"].shape)
        return inputs["x"], inputs["gamma"], inputs["beta"]

    def run(self, session: Session, key: str) -> SimpleNamespace:
        """The run `key`, once: x, gamma, beta and bn_param as sent; the learner's out and bn_param `after` the
        call; the reference's bn_param after the same call (`reference`) and out (`expected`)."""
        return session.memo(("bn_param", self.layer.forward, key), lambda: self._call(session, key))

    def _call(self, session: Session, key: str) -> SimpleNamespace:
        x, gamma, beta = self.inputs(session, key)
        bn_param, running = dict(_RUNS[key][0]), _RUNS[key][1]
        if running:
            rng = session.rng("running", running)
            bn_param.update(running_mean=rng.standard_normal(x.shape[1]), running_var=rng.uniform(0.5, 2.0, x.shape[1]))
        shown = ", ".join(f"{name!r}: {'an array' if isinstance(value, np.ndarray) else repr(value)}"
                          for name, value in bn_param.items())
        with session.about("bn_param {" + shown + "}"):
            returned = session.call(self.layer.forward, x, gamma, beta, send=(0,), return_args=True, bn_param=bn_param)
        if not isinstance(returned.value, (tuple, list)) or len(returned.value) != 2:
            raise CheckFailed(f"{self.layer.forward} must return a tuple (out, cache)")
        reference = {name: value.copy() if isinstance(value, np.ndarray) else value for name, value in bn_param.items()}
        expected, _ = getattr(session.reference, self.layer.forward)(x, gamma, beta, reference)
        return SimpleNamespace(x=x, gamma=gamma, beta=beta, bn_param=bn_param, out=returned.value[0],
                               after=returned.args_after[1]["bn_param"], reference=reference, expected=expected)

    def running_statistics(self, session: Session) -> None:
        for key, what in (
                ("defaults", "from defaults (momentum 0.9, running stats zeros), running = momentum*running + "
                             "(1 - momentum)*batch statistic with the biased (divide by N) variance"),
                ("given", "with momentum 0.7 and given running stats"),
                ("large eps", f"with eps {LEAK_EPS} on unit-variance x, running_var takes the plain biased batch "
                              f"variance (eps only in the normalisation)")):
            run = self.run(session, key)
            if problem := _running_problem(run.after, run.reference):
                raise CheckFailed(f"{what}: {problem}")

    def test_mode_values(self, session: Session) -> None:
        run = self.run(session, "test")
        if not isinstance(run.out, np.ndarray) or run.out.shape != run.expected.shape:
            raise CheckFailed(f"test mode: out should have shape {run.expected.shape}")
        scale = input_scale(run.x, run.gamma, run.beta, run.bn_param["running_mean"], run.bn_param["running_var"])
        if mismatch := compare_arrays("out", run.expected, run.out, scale):
            with_batch = train_forward(run.x, run.gamma, run.beta, run.bn_param)
            rule = ("test mode normalises with running_mean and running_var, not the batch's statistics"
                    if compare_arrays("out", with_batch, run.out, scale) is None else
                    "test mode: out = gamma * (x - running_mean) / sqrt(running_var + eps) + beta")
            raise CheckFailed(f"{rule}: {mismatch.describe()}")

    def test_mode_unchanged(self, session: Session) -> None:
        run = self.run(session, "unchanged")
        if problem := _running_problem(run.after, run.bn_param):
            raise CheckFailed(f"test mode must leave the running statistics as they were: {problem}")

    def unknown_mode(self, session: Session) -> None:
        x, gamma, beta = self.inputs(session, "unknown")
        expect_raises(lambda: session.call(self.layer.forward, x, gamma, beta, send=(), bn_param={"mode": "eval"}),
                      "ValueError", "mode 'eval'")

    def test_eps_outside(self, session: Session) -> bool:
        """Test mode's out is gamma * (x - running_mean) / (sqrt(running_var) + eps) + beta."""
        run = self.run(session, "test")
        mean, var, gamma, beta = (_per_feature(value, run.x) for value in
                                  (run.bn_param["running_mean"], run.bn_param["running_var"], run.gamma, run.beta))
        wrong = gamma * (run.x - mean) / (np.sqrt(var) + run.bn_param["eps"]) + beta
        return isinstance(run.out, np.ndarray) and agree(wrong, run.out)

    def running_matches(self, session: Session, key: str, weight_old: float, var_offset: float = 0.0) -> bool:
        """Whether the learner stored running = weight_old*running + (1 - weight_old)*batch statistic in the
        run `key`, the batch variance plus `var_offset`."""
        run = self.run(session, key)
        mean, var = (v.ravel() for v in _batch_statistics(run.x))
        mistaken = {name: weight_old * run.bn_param.get(name, np.zeros(len(batch))) + (1 - weight_old) * batch
                    for name, batch in (("running_mean", mean), ("running_var", var + var_offset))}
        return _running_problem(run.after, mistaken) is None


def _running_problem(after: object, expected: dict) -> str | None:
    """What is wrong with the running statistics in the learner's bn_param after a call, or None."""
    if not isinstance(after, dict):
        return "bn_param is no longer a dict"
    for key in ("running_mean", "running_var"):
        got = after.get(key)
        if not isinstance(got, np.ndarray) or got.shape != expected[key].shape:
            return f"bn_param[{key!r}] should be an array of shape {expected[key].shape}; it is {got!r:.60}"
        if mismatch := compare_arrays(key, expected[key], got):
            return mismatch.describe()
    return None
