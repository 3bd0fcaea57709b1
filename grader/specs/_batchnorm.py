"""What batchnorm and spatial_batchnorm share: the running statistics and the mode rules.

Both katas take (x, gamma, beta, bn_param) and differ only in the shape of x
and which axes the statistics run over, so one builder serves both.
"""
from __future__ import annotations


import numpy as np

from grader.compare import compare_arrays
from grader.engine import Session
from grader.isolation import LearnerError
from grader.kata import Check, CheckFailed, Kata
from grader.layer import Case, Edge, Layer, layer_checks, layer_speed

def make_inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    """x with a scale and offset of its own (so mean and variance matter), gamma and beta random."""
    x = 3.0 * rng.standard_normal(shapes["x"]) + rng.uniform(-2, 2)
    return {"x": x, "gamma": rng.standard_normal(shapes["gamma"]), "beta": rng.standard_normal(shapes["beta"])}


def _offset_inputs(rng: np.random.Generator, shapes: dict) -> dict[str, np.ndarray]:
    inputs = make_inputs(rng, shapes)
    inputs["x"] = rng.standard_normal(shapes["x"]) + 1e6
    return inputs


def batchnorm_kata(name: str, title: str, x_shapes: tuple[tuple[int, ...], ...],
                   one_sample: tuple[int, ...], speed_shape: tuple[int, ...]) -> Kata:
    """The kata `name`, whose x takes the shapes given, with D or C = x_shape[1] features."""
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
    )
    rules = _ModeRules(forward, x_shapes[0])
    extra = (
        Check("running statistics (train mode)", "value", rules.running_statistics),
        Check("test mode uses the running statistics", "edge", rules.test_mode_values),
        Check("test mode leaves running statistics unchanged", "edge", rules.test_mode_unchanged),
        Check("unknown mode raises ValueError", "edge", rules.unknown_mode),
    )
    return Kata(name=name, title=title, functions=(forward, backward),
                checks=layer_checks(layer, extra), speed=layer_speed(layer))


class _ModeRules:
    """Checks of bn_param: the running-statistics update and the modes."""

    def __init__(self, forward: str, x_shape: tuple[int, ...]):
        self.forward = forward
        self.x_shape = x_shape

    def _inputs(self, session: Session, *key) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        features = (self.x_shape[1],)
        inputs = make_inputs(session.rng("modes", *key), {"x": self.x_shape, "gamma": features, "beta": features})
        return inputs["x"], inputs["gamma"], inputs["beta"]

    def _running(self, session: Session, *key) -> dict[str, np.ndarray]:
        rng = session.rng("running", *key)
        features = self.x_shape[1]
        return {"running_mean": rng.standard_normal(features), "running_var": rng.uniform(0.5, 2.0, features)}

    def _run(self, session: Session, bn_param: dict, key: str) -> tuple[np.ndarray, dict, dict]:
        """(learner's out, learner's bn_param after the call, reference's bn_param after)."""
        x, gamma, beta = self._inputs(session, key)
        returned = session.call(self.forward, x, gamma, beta, send=(0,), return_args=True, bn_param=bn_param)
        if not isinstance(returned.value, (tuple, list)) or len(returned.value) != 2:
            raise CheckFailed(f"{self.forward} must return a tuple (out, cache)")
        after = returned.args_after[1]["bn_param"]
        reference_param = {key: (value.copy() if isinstance(value, np.ndarray) else value)
                           for key, value in bn_param.items()}
        getattr(session.reference, self.forward)(x, gamma, beta, reference_param)
        return returned.value[0], after, reference_param

    def _compare_running(self, learner: object, reference: dict, what: str) -> None:
        if not isinstance(learner, dict):
            raise CheckFailed(f"{what}: bn_param is no longer a dict")
        for key in ("running_mean", "running_var"):
            got = learner.get(key)
            if not isinstance(got, np.ndarray) or got.shape != reference[key].shape:
                raise CheckFailed(f"{what}: bn_param[{key!r}] should be an array of shape "
                                  f"{reference[key].shape}; it is {got!r:.60}")
            mismatch = compare_arrays(key, reference[key], got)
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

    def test_mode_values(self, session: Session) -> None:
        bn_param = {"mode": "test", "eps": 1e-3, **self._running(session, "test")}
        out, _, _ = self._run(session, bn_param, "test")
        x, gamma, beta = self._inputs(session, "test")
        expected, _ = getattr(session.reference, self.forward)(x, gamma, beta, dict(bn_param))
        if not isinstance(out, np.ndarray) or out.shape != expected.shape:
            raise CheckFailed(f"test mode: out should have shape {expected.shape}")
        mismatch = compare_arrays("out", expected, out)
        if mismatch:
            raise CheckFailed("test mode normalises with running_mean and running_var, not the batch: "
                              + mismatch.describe())

    def test_mode_unchanged(self, session: Session) -> None:
        bn_param = {"mode": "test", **self._running(session, "unchanged")}
        _, after, _ = self._run(session, bn_param, "unchanged")
        self._compare_running(after, bn_param, "test mode must leave the running statistics as they were")

    def unknown_mode(self, session: Session) -> None:
        x, gamma, beta = self._inputs(session, "unknown")
        try:
            session.call(self.forward, x, gamma, beta, send=(), bn_param={"mode": "eval"})
        except LearnerError as error:
            if error.kind == "raised" and error.exception_type == "ValueError":
                return
            if error.kind != "raised":
                raise
            raise CheckFailed(f"mode 'eval' should raise ValueError; it raised {error.exception_type}") from None
        raise CheckFailed("mode 'eval' should raise ValueError; it returned normally")
