"""Checks for a capstone: a model class built from the learner's katas, checked whole and trained.

A capstone is a class `Model(**sizes, seed)` with a dict `params` and `loss(X, y=None)`, which returns
the model's outputs, or (loss, grads). Its spec declares a `Model`, from which `model_kata` builds the rows:

    shape      params, outputs and grads have the reference's keys and shapes
    value      initial weights and loss (when declared); the outputs and the
               loss against the reference's, at params the grader sets in both
    gradient   one row per parameter: against the reference's, and against
               central differences of the learner's own loss, every element
    edge       each `Edge`: the outputs on another configuration
    behaviour  X and y not modified; seeded weights; training fits the data

The model lives in the learner's process: the parent holds a Ref, asks for plain data and judges here.
Moving a parameter and training run beside the model (grader.sandbox.trusted.training, trusted code that
only drives it). Known mistakes are buggy copies of the reference model (`Mistake`, `patched_loss`),
matched by grader.checks.mistakes; every model shares the L2 ones. The records here are named tuples: the grader
defines them at every start, and a frozen dataclass costs five times as long to define (~0.8 ms on Python 3.11).
"""
from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.compare import agree, compare_arrays, input_scale
from grader.checks.gradcheck import STEP, central_difference
from grader.checks.gradients import Numerical, judge_gradient
from grader.checks.mistakes import matches
from grader.checks.results import GROUPS, Speed
from grader.checks.returns import describe_value, real_scalar
from grader.checks.session import Session
from grader.checks.speed import measure_speed
from grader.sandbox.process import LearnerError, Returned
from grader.sandbox.protocol import Ref

TRAINING = "grader.sandbox.trusted.training"
#: Initial weights pass when their standard deviation is within this fraction of weight_scale.
INIT_TOLERANCE = 0.25


class Net(NamedTuple):
    """One configuration of the model: its constructor's arguments (but seed) and a batch size."""

    label: str
    kwargs: dict
    n: int

    def variant(self, label: str, n: int | None = None, **changes) -> Net:
        """Another configuration: these arguments changed, the others (and their order) kept."""
        return Net(label, {**self.kwargs, **changes}, self.n if n is None else n)

    def describe(self) -> str:
        return f"{self.label} ({', '.join(f'{key}={value}' for key, value in self.kwargs.items())}; N = {self.n})"

    def call(self, model: str, seed: int) -> str:
        """'Model(input_dim=3, ..., seed=0)', for messages."""
        return f"{model}({', '.join([f'{key}={value!r}' for key, value in self.kwargs.items()] + [f'seed={seed}'])})"


class Edge(NamedTuple):
    """An edge row: the outputs on `net`, an unusual configuration; `why`, the rule it probes, heads a failure."""

    name: str
    net: Net
    why: str


class InitialLoss(NamedTuple):
    """A value row: a fresh model's (seed 0) loss on `data()` is `expected` within `tolerance`, for reason `why`."""

    name: str
    net: Net
    data: Callable[[], tuple[np.ndarray, np.ndarray]]
    expected: float
    tolerance: float
    why: str


class Mistake(NamedTuple):
    """A known mistake: what a buggy copy of the reference model computes at the grader's params.

    Either `outputs(reference, model, X)`, its loss(X) on the Model's `net`, or `loss(reference, model,
    X, y)`, its (loss, grads) on `gradient_net`; `model` is a fresh reference model, `reference` its
    module. `hint` follows the message of a row whose value ("{name}") the learner's code gets as the
    mistake does. Without `explanation` it only hints.
    """

    name: str
    explanation: str
    outputs: Callable[[types.ModuleType, object, np.ndarray], np.ndarray] | None = None
    loss: Callable[[types.ModuleType, object, np.ndarray, np.ndarray], tuple] | None = None
    hint: str = ""


class Trained(NamedTuple):
    """A training run as the parent knows it; `outputs`, the trained loss(X), has the reference's shape."""

    outputs: np.ndarray
    losses: list[float]
    epochs: int | None
    seconds: float


class Training(NamedTuple):
    """The last row: a fresh model (seed 0) of `net` trained on `data()` in the learner's process.

    `trainer`, a loop of grader.sandbox.trusted.training, gets `options` and seed 0; it runs on the twin
    process beside the other rows (without a twin, in the row). `judge(trained, y)` gives the row's note,
    or raises CheckFailed on a poor fit; `samples` names what X holds.
    """

    row: str
    net: Net
    trainer: str
    data: Callable[[], tuple[np.ndarray, np.ndarray]]
    options: dict
    judge: Callable[[Trained, np.ndarray], str]
    samples: str


class Model(NamedTuple):
    """A capstone's model class, declaratively.

    Attributes:
        name: the learner's class ("ThreeLayerConvNet").
        outputs: what loss(X) returns, for rows and messages ("scores").
        params: {name: the spec's formula for its shape}, in the order of the class's params, as the gradient
            net has them (one gradient row each); the keys and shapes every net must have are the reference's.
            A name with numbers ("layers.1.w_q") takes the formula of the name with 0s ("layers.0.w_q"). Weights (see `weights`) are drawn at init, the others start at
            `others` (zero biases, unit norm gains).
        batch: (rng, net) -> (X, y), net.n samples for the rows.
        net: the configuration of the shape, value and behaviour rows.
        gradient_net: a small one, every gradient element checked.
        training: the training row; None for a capstone that trains itself in rows of its own (mlp_classifier's
            Trainer, whose rows its spec adds).
        init_net: where the initial weights must be init_std * N(0, 1) and the rest `others`.
        initial_loss, edges, mistakes: the model's own rows and mistakes.
        weights: which params are weights, by name (by default those whose names start with W).
        init_std: the initial weights' standard deviation; None: the net's weight_scale.
        others: the value every param but the weights starts at.
        arguments: what loss's two arguments are called ("ids", "targets"), for rows and messages.
        reg: the constructor takes `reg`, an L2 strength on the weights (the reference keeps it as an
            attribute too): the loss row runs with it and the L2 slips are known mistakes.
    """

    name: str
    outputs: str
    params: dict[str, str]
    batch: Callable[[np.random.Generator, Net], tuple[np.ndarray, np.ndarray]]
    net: Net
    gradient_net: Net
    training: Training | None
    init_net: Net
    initial_loss: InitialLoss | None = None
    edges: tuple[Edge, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    weights: Callable[[str], bool] = lambda name: name.startswith("W")
    init_std: float | None = None
    others: float = 0.0
    reg: bool = True
    arguments: tuple[str, str] = ("X", "y")

    def loss_call(self, labelled: bool = True) -> str:
        """'loss(X, y)' or (not labelled) 'loss(X)', in the names of the class's own arguments, for messages."""
        return f"loss({', '.join(self.arguments[:2 if labelled else 1])})"

    def weight_std(self) -> tuple[float, str]:
        """The initial weights' standard deviation, and what it is called in messages."""
        if self.init_std is not None:
            return self.init_std, f"{self.init_std:g}"
        scale = self.init_net.kwargs["weight_scale"]
        return scale, f"weight_scale {scale:g}"


def model_kata(model: Model, workload: str, extra: tuple[Check, ...] = (), classes: tuple[str, ...] = (),
               mistakes: tuple[KnownMistake, ...] = (), **kata) -> Kata:
    """The capstone's Kata: `model`'s rows (in the module docstring's order) and mistakes, a speed line timing
    `workload` (one loss(X, y) with gradients on the training net's batch, learner vs reference), and `kata`'s
    fields. `extra` rows of the spec's own join them in their groups' places, `classes` names what else the
    learner's file defines (mlp_classifier's Trainer) and `mistakes` adds known mistakes after the model's."""
    net, grads, outputs, initial = model.net, ("grads shapes",), f"{model.outputs} shape", model.initial_loss
    rows = (
        Check("params shapes", "shape", lambda s: _no_note(_params(s, model, net))),
        Check(outputs, "shape", lambda s: _no_note(_outputs(s, model, net, "own"))),
        Check("grads shapes", "shape", lambda s: _no_note(_loss_and_grads(s, model, net, "own"))),
        Check("initial weights", "value", lambda s: _initial_weights(s, model), needs=("params shapes",)),
        *([Check(initial.name, "value", lambda s: _initial_loss(s, model, initial), needs=grads)] if initial else []),
        Check(f"{model.outputs} values", "value", lambda s: _values(s, model, net), needs=(outputs,)),
        Check("loss value with reg" if model.reg else "loss value", "value", lambda s: _values(s, model, net, "loss"),
              needs=grads),
        # The numerical gradients run after the other rows (their places on the scorecard unchanged), so that the
        # twin, training beside those, is soon free to take a share of them (grader.sandbox.twin).
        *(Check(f"gradient {name}", "gradient", lambda s, name=name: _gradient(s, model, name), needs=grads,
                runs_last=True) for name in model.params),
        *(Check(edge.name, "edge", lambda s, edge=edge: _values(s, model, edge.net, why=edge.why),
                needs=(outputs,)) for edge in model.edges),
        Check(f"{' and '.join(model.arguments)} not modified", "behaviour", lambda s: _not_modified(s, model), runs_last=True),
        Check("seeded weights", "behaviour", lambda s: _seeded(s, model), needs=("params shapes",)),
        *([Check(model.training.row, "behaviour", lambda s: _fits(s, model), runs_last=True,
                 start=lambda s: s.learner.start_in_twin(f"training your {model.name}", TRAINING, "train_model",
                                                         *_training_run(s, model), **model.training.options,
                                                         seed=0))] if model.training else []),
    )

    def speed(session: Session) -> Speed:
        net = model.training.net if model.training else model.net
        X, y = _batch(session, model, net)
        reference = getattr(session.reference, model.name)(**net.kwargs, seed=0)
        learner = _construct(session, model, net, "speed").ref
        return measure_speed(session, workload, lambda: reference.loss(X, y),
                             lambda: session.call(learner.attr("loss"), X, y, send=(), watch_inputs=False).seconds)
    rows = tuple(sorted(rows + tuple(extra), key=lambda check: GROUPS.index(check.group)))  # stable: rows kept
    return Kata(functions=(model.name, *classes), checks=rows, speed=speed,
                mistakes=_mistakes(model) + tuple(mistakes), **kata)


def _no_note(answer: object) -> None:
    """A shape row checks an answer (it raises when wrong); the answer itself is no note for the scorecard."""


# -- the learner's model and the reference's, each answer computed once ---------
def _construct(session: Session, model: Model, net: Net, key: str = "own", seed: int = 0) -> Returned:
    """The learner's model, built once per (net, key, seed) in its process; key "set": with _grader_params."""
    def build() -> Returned:
        with session.about(net.describe()):
            returned = session.call(model.name, **net.kwargs, seed=seed, watch_global_rng=True)
        if key == "set":
            session.learner.run_in_child(TRAINING, "set_params", returned.ref, _grader_params(session, model, net))
        return returned
    return session.memo(("model", net.label, seed, key), build)


def _batch(session: Session, model: Model, net: Net) -> tuple[np.ndarray, np.ndarray]:
    return session.memo(("batch", net.label), lambda: model.batch(session.rng("batch", net.label), net))


def _grader_params(session: Session, model: Model, net: Net) -> dict[str, np.ndarray]:
    """The params the grader sets in both models, of the reference's shapes: He-scaled weights, the others
    model.others + 0.1 * N(0, 1)."""
    def draw():
        shapes = getattr(session.reference, model.name)(**net.kwargs, seed=0).params
        rng, params = session.rng("params", net.label), {}
        for name, array in shapes.items():
            shape = array.shape
            fan_in = int(np.prod(shape[1:])) if len(shape) == 4 else shape[0]
            params[name] = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in) if model.weights(name) else \
                model.others + 0.1 * rng.standard_normal(shape)
        return params
    return session.memo(("grader params", net.label), draw)


def _scale(session: Session, model: Model, net: Net) -> float:
    """The agreement rule's s: the largest magnitude among X, y and the grader's params."""
    return input_scale(*_batch(session, model, net), *_grader_params(session, model, net).values())


def _answer(session: Session, model: Model, net: Net, mistake: Mistake | None = None) -> dict[str, object]:
    """At the grader's params on the net's batch, the reference's {"outputs", "loss", param name: grad},
    or what `mistake` computes there (its "outputs", or its "loss" and grads)."""
    def compute():
        reference = getattr(session.reference, model.name)(**net.kwargs, seed=0)
        reference.params = {name: value.copy() for name, value in _grader_params(session, model, net).items()}
        X, y = (array.copy() for array in _batch(session, model, net))
        if mistake is not None and mistake.outputs:
            return {"outputs": mistake.outputs(session.reference, reference, X)}
        loss, grads = mistake.loss(session.reference, reference, X, y) if mistake else reference.loss(X, y)
        return {"loss": loss, **grads, **({} if mistake else {"outputs": reference.loss(X.copy())})}
    return session.memo(("answer", net.label, mistake and mistake.name), compute)


def _params(session: Session, model: Model, net: Net, ref: Ref | None = None, seed: int = 0) -> dict:
    """The params of `ref` (by default the net's own model) as data, checked against the reference's."""
    ref = _construct(session, model, net).ref if ref is None else ref
    value, call = session.learner.run_in_child(TRAINING, "params_of", ref).value, net.call(model.name, seed)
    if value is None:
        raise CheckFailed(f"{call} has no attribute params: set self.params, a dict of arrays, in __init__")
    _expect_arrays(f"{call}.params", value, session, model, net, float64=True)
    return value


def _expect_arrays(what: str, value: object, session: Session, model: Model, net: Net, float64: bool) -> None:
    """`value` (params, or grads) is a dict of arrays with the reference's keys and shapes."""
    if not isinstance(value, dict):
        raise CheckFailed(f"{what} must be a dict of arrays keyed by name; it is {describe_value(value)}")
    expected = _grader_params(session, model, net)
    keys = [f"{wrong} {', '.join(map(repr, names))}" for wrong, names in (
        ("lacks", [key for key in expected if key not in value]),
        ("has unexpected", [key for key in value if key not in expected])) if names]
    if keys:
        raise CheckFailed(f"{what} {'; '.join(keys)}: its keys must be {', '.join(expected)}")
    for name, right in expected.items():
        array = value[name]
        ok = isinstance(array, np.ndarray) and (array.dtype == np.float64 if float64 else array.dtype.kind in "iuf")
        if not ok:
            got = f"an array of dtype {array.dtype}" if isinstance(array, np.ndarray) else describe_value(array)
            raise CheckFailed(f"{what}[{name!r}] must be a{' float64' if float64 else 'n'} array; it is {got}")
        if array.shape != right.shape:
            raise CheckFailed(f"{what}[{name!r}] has shape {array.shape}, expected {right.shape} = "
                              f"{_formula(model, name)}")


def _formula(model: Model, name: str) -> str:
    """The spec's formula for param `name`'s shape, that of its first layer's when it has numbers."""
    return model.params.get(name) or model.params.get(re.sub(r"\d+", "0", name), "the reference's")


def _call_loss(session: Session, model: Model, net: Net, key: str, *arguments) -> object:
    """loss(*arguments) of the net's model with its own initial params (key "own") or the grader's ("set")."""
    ref = _construct(session, model, net, key).ref
    with session.about(f"{net.describe()}, {'params set by the grader' if key == 'set' else 'its initial params'}"):
        return session.call(ref.attr("loss"), *arguments).value


def _outputs(session: Session, model: Model, net: Net, key: str) -> np.ndarray:
    """loss(X) on the net's batch, checked to be numbers of the reference's shape."""
    def compute():
        value = _call_loss(session, model, net, key, _batch(session, model, net)[0])
        shape = np.shape(_answer(session, model, net)["outputs"])
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
            raise CheckFailed(f"{net.describe()}: {model.loss_call(False)} must return the {model.outputs}, an array of shape "
                              f"{shape}; it returned {describe_value(value)}")
        if value.shape != shape:
            raise CheckFailed(f"{net.describe()}: {model.loss_call(False)} returned {model.outputs} of shape {value.shape}, "
                              f"expected {shape}")
        return value
    return session.memo(("outputs", net.label, key), compute)


def _loss_and_grads(session: Session, model: Model, net: Net, key: str) -> dict[str, object]:
    """loss(X, y) on the net's batch as {"loss": a float, param name: grad}, checked for keys and shapes."""
    def compute():
        value = _call_loss(session, model, net, key, *_batch(session, model, net))
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            what = f"{len(value)} items" if isinstance(value, (tuple, list)) else describe_value(value)
            raise CheckFailed(f"{net.describe()}: {model.loss_call()} must return a tuple (loss, grads); it returned {what}")
        if (loss := _as_float(value[0])) is None:
            raise CheckFailed(f"{net.describe()}: {model.loss_call()}'s loss must be a float; it is {describe_value(value[0])}")
        _expect_arrays(f"{net.describe()}: grads", value[1], session, model, net, float64=False)
        return {"loss": loss, **value[1]}
    return session.memo(("loss", net.label, key), compute)


def _as_float(loss: object) -> float | None:
    """A loss as a float (a one-element array too), or None when it is no real number."""
    return real_scalar(loss.reshape(()) if isinstance(loss, np.ndarray) and loss.size == 1 else loss)


# -- the rows -------------------------------------------------------------------
def _initial_weights(session: Session, model: Model) -> str:
    """Each weight ~ init_std * N(0, 1) (std within INIT_TOLERANCE, mean near 0); the rest all `others`."""
    net = model.init_net
    (scale, named), call, stds = model.weight_std(), net.call(model.name, 0), []
    factor = "weight_scale" if model.init_std is None else f"{scale:g}"
    for name, value in _params(session, model, net).items():
        if not model.weights(name):
            if np.any(value != model.others):
                raise CheckFailed(f"{call}: params[{name!r}] must start as {model.others:g}s; "
                                  f"{np.count_nonzero(value != model.others)} of its {value.size} entries are not "
                                  f"{model.others:g}")
            continue
        std, mean = float(value.std()), float(value.mean())
        stds.append((std, name))
        if abs(std / scale - 1) > INIT_TOLERANCE:
            hint = f": are the draws multiplied by {factor}?" if abs(std - 1) < INIT_TOLERANCE else \
                f": uniform draws on [-{factor}, {factor}]? Use {factor} * rng.standard_normal(shape)" \
                if abs(std / scale - 1 / np.sqrt(3)) < 0.1 else ""
            raise CheckFailed(f"{call}: params[{name!r}] has standard deviation {std:.4g}; "
                              f"{'with ' + named if model.init_std is None else 'it'} must be about {scale:g} "
                              f"(within {INIT_TOLERANCE:.0%}){hint}")
        if abs(mean) > INIT_TOLERANCE * scale:
            raise CheckFailed(f"{call}: params[{name!r}] has mean {mean:.4g}; {factor} times standard "
                              f"normal draws have mean about 0 (within {INIT_TOLERANCE * scale:g} here)")
    low, high = min(stds), max(stds)
    return f"standard deviations {low[0]:.3g} ({low[1]}) to {high[0]:.3g} ({high[1]}) for {named}"


def _initial_loss(session: Session, model: Model, initial: InitialLoss) -> str:
    X, y = initial.data()
    value = session.call(_construct(session, model, initial.net).ref.attr("loss"), X, y, send=(0,)).value
    loss = _as_float(value[0] if isinstance(value, (tuple, list)) and len(value) == 2 else value)
    if loss is None:
        raise CheckFailed(f"{model.loss_call()} must return (loss, grads) with loss a float; it returned "
                          f"{describe_value(value)}")
    if not abs(loss - initial.expected) <= initial.tolerance:
        raise CheckFailed(f"{initial.net.call(model.name, 0)} on {len(X)} samples: initial loss {loss:.6g}, "
                          f"expected {initial.expected:.6g} within {initial.tolerance:g} ({initial.why})")
    return f"{loss:.6g}, expected {initial.expected:.6g}"


def _values(session: Session, model: Model, net: Net, part: str = "outputs", why: str = "") -> None:
    """loss(X) ("outputs") or loss(X, y)'s "loss" at the grader's params against the reference's; `why` heads
    an edge row's failure."""
    try:
        got = _outputs(session, model, net, "set") if part == "outputs" else \
            _loss_and_grads(session, model, net, "set")["loss"]
        right = np.array(_answer(session, model, net)[part])
        mismatch = compare_arrays(model.outputs if part == "outputs" else part, right, np.array(got),
                                  _scale(session, model, net), {"N": net.n})
        if mismatch is not None:
            hint = _hint(session, model, net, part, got)
            if part == "outputs" and not hint and _cached(session, model, net):
                hint = " (the same as before the grader set params: loss must read the weights from self.params " \
                       "at every call)"
            raise CheckFailed(f"{net.describe()}, params set by the grader: {mismatch.describe()}{hint}")
    except (CheckFailed, LearnerError) as failure:
        if not why or isinstance(failure, LearnerError) and failure.stops_the_row:
            raise
        raise CheckFailed(f"{why}: {failure if isinstance(failure, CheckFailed) else failure.describe()}") from None


def _gradient(session: Session, model: Model, name: str) -> str | None:
    """grads[name] against the reference's and against central differences of the learner's loss, every element."""
    net = model.gradient_net
    got, right = _loss_and_grads(session, model, net, "set"), _answer(session, model, net)
    scale, params = _scale(session, model, net), _grader_params(session, model, net)
    start = sum(params[before].size for before in list(params)[:list(params).index(name)])
    losses = _perturbed_losses(session, model)[start:start + params[name].size]
    return judge_gradient(f"grads[{name!r}]", got[name], right[name],
                          Numerical.everywhere(central_difference(losses.astype(np.float64), np.array(1.0), STEP)),
                          forward_right=agree(right["loss"], got["loss"], scale), label=net.describe(), scale=scale,
                          quantities={"N": net.n, **({"reg": net.kwargs["reg"]} if model.reg else {})},
                          forward="loss", hint=_hint(session, model, net, name, got[name]))


def _perturbed_losses(session: Session, model: Model) -> np.ndarray:
    """The learner's loss on the gradient net with each element of every param moved by +STEP and -STEP, in the
    order of the grader's params: (elements, 2). Asked for at once, so that one split shares them all."""
    def compute() -> np.ndarray:
        net = model.gradient_net
        params = _grader_params(session, model, net)
        size = sum(value.size for value in params.values())
        # The same model, built afresh from plain data in each process: the twin takes half of the
        # elements, except while its training run has not replied yet.
        losses, _ = session.learner.run_split_in_child(
            TRAINING, "loss_at_set_params", range(size), model.name, {**net.kwargs, "seed": 0}, params, STEP,
            *_batch(session, model, net), min_split=2)  # each loss costs ~1 ms
        if not isinstance(losses, np.ndarray) or losses.shape != (size, 2):
            raise CheckFailed(f"{net.describe()}: could not evaluate your loss at perturbed params")
        return losses
    return session.memo(("perturbed losses", model.name), compute)


def _hint(session: Session, model: Model, net: Net, part: str, got: object) -> str:
    """' (its hint)' when the learner's `part` ("outputs", "loss" or a param's name) is what a known mistake
    computes on `net`, and not what is right; else ''."""
    right, scale = _answer(session, model, net)[part], _scale(session, model, net)
    for mistake in (_L2_MISTAKES if model.reg else ()) + model.mistakes:
        if not mistake.hint or (mistake.outputs is not None) != (part == "outputs"):
            continue
        try:
            wrong = _answer(session, model, net, mistake)[part]
        except (ArithmeticError, IndexError, TypeError, ValueError):
            continue  # a buggy copy that cannot compute this configuration, as in grader.checks.mistakes
        if agree(wrong, got, scale) and not agree(wrong, right, scale):
            return f" ({mistake.hint.replace('{name}', part)})"
    return ""


def _not_modified(session: Session, model: Model) -> None:
    """No call of loss by any row changed the X or y it was given."""
    _outputs(session, model, model.net, "own")
    _loss_and_grads(session, model, model.net, "own")
    session.check_inputs_unmodified()


def _seeded(session: Session, model: Model) -> None:
    """The same seed gives the same weights, another seed others, and the global RNG is left alone."""
    built = [(_construct(session, model, model.net, key, seed), seed)
             for key, seed in (("own", 3), ("again", 3), ("own", 4))]
    for returned, seed in (built[0], built[2]):
        if returned.global_rng_changed:
            raise CheckFailed(f"{model.name}(..., seed={seed}) changed the global np.random state: draw from "
                              f"rng = np.random.default_rng(seed), not from np.random")
    first, again, other = (_params(session, model, model.net, returned.ref, seed) for returned, seed in built)
    for key in first:
        if not np.array_equal(first[key], again[key]):
            raise CheckFailed(f"two {model.name}(..., seed=3) got different params[{key!r}]: draw every weight "
                              f"from np.random.default_rng(seed)")
    if all(np.array_equal(first[key], other[key]) for key in first if model.weights(key)):
        raise CheckFailed(f"{model.name}(..., seed=3) and (..., seed=4) got the same weights: draw them from "
                          f"np.random.default_rng(seed)")


# -- training -------------------------------------------------------------------
def _training_run(session: Session, model: Model) -> tuple:
    """train_model's positional arguments, plain data for the twin: the class, its kwargs, the trainer, X, y."""
    training = model.training
    return (model.name, {**training.net.kwargs, "seed": 0}, training.trainer,
            *session.memo(("training data", model.name), training.data))


def _fits(session: Session, model: Model) -> str:
    """The training run, collected from the twin or run here, judged by the spec from the trained outputs."""
    training, arguments, title = model.training, _training_run(session, model), f"training your {model.name}"
    with session.progress(title) as bar:
        finished = session.learner.finish_in_twin(title, on_progress=bar.update)
        if finished is None:
            returned = session.learner.run_in_child(TRAINING, "train_model", *arguments, on_progress=bar.update,
                                                    **training.options, seed=0)
            finished = returned.value, returned.seconds
    (value, seconds), (*_, X, y) = finished, arguments
    history = value if isinstance(value, dict) else {}
    losses, epochs, outputs = history.get("losses"), history.get("epochs"), history.get("outputs")
    if not (isinstance(losses, list) and all(isinstance(v, float) for v in losses)):
        losses = bar.losses
    # The reference's outputs on one sample tell the shape on all (batch first), at a fraction of a full pass.
    one = getattr(session.reference, model.name)(**training.net.kwargs, seed=0).loss(X[:1].copy()).shape
    shape = (len(X), *one[1:])
    if not isinstance(outputs, np.ndarray) or outputs.shape != shape:
        raise CheckFailed(f"after training, {model.loss_call(False)} on {len(X)} {training.samples} returned "
                          f"{describe_value(outputs)}, not {model.outputs} of shape {shape}")
    return training.judge(Trained(outputs, losses, epochs if isinstance(epochs, int) else None, seconds), y)


# -- known mistakes -------------------------------------------------------------
def patched_loss(model, **functions) -> Callable:
    """A reference model's loss calling `functions` in place of its module's (relu_forward=...): a buggy
    copy for a mistake in one part. Only the names loss itself looks up in its module are replaced."""
    loss = type(model).loss
    return types.MethodType(types.FunctionType(loss.__code__, {**loss.__globals__, **functions}, loss.__name__,
                                               loss.__defaults__, loss.__closure__), model)


def skipped(function: str, where: Callable[[np.ndarray], bool] = lambda x: True) -> Callable:
    """A Mistake's `outputs`: the reference's loss(X) with its layer `function` ("relu_forward") returning
    its input unchanged, and no cache, wherever `where(input)`: that layer left out."""
    def outputs(reference, model, X):
        def skipping(x, *args, **kwargs):
            return (x, None) if where(x) else getattr(reference, function)(x, *args, **kwargs)
        return patched_loss(model, **{function: skipping})(X)
    return outputs


def softmaxed(reference, model, X) -> np.ndarray:
    """A Mistake's `outputs`: the softmax of the reference's loss(X) over its last axis, probabilities
    returned in place of the scores (or logits) they come from."""
    scores = model.loss(X)
    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


def _mistakes(model: Model) -> tuple[KnownMistake, ...]:
    """The known mistakes the scorecard can name: the L2 ones, two of the weights, the model's own."""
    def buggy(mistake: Mistake) -> KnownMistake:
        def triples(session: Session):
            net = model.net if mistake.outputs else model.gradient_net
            got = {"outputs": _outputs(session, model, net, "set")} if mistake.outputs else \
                _loss_and_grads(session, model, net, "set")
            wrong, right = _answer(session, model, net, mistake), _answer(session, model, net)
            yield from ((wrong[part], got[part], right[part]) for part in wrong)
        return KnownMistake(mistake.name, mistake.explanation, lambda session: matches(triples(session)))

    scale, factor = model.weight_std()[0], "weight_scale" if model.init_std is None else f"{model.init_std:g}"

    def not_scaled(session: Session) -> bool:  # every initial weight has std about 1, whatever it should be
        params = _params(session, model, model.init_net)
        weights = [name for name in params if model.weights(name)]
        return bool(weights) and abs(scale - 1) > INIT_TOLERANCE and \
            all(abs(float(params[name].std()) - 1) <= INIT_TOLERANCE for name in weights)

    return (
        *(buggy(mistake) for mistake in (_L2_MISTAKES if model.reg else ()) if mistake.explanation),
        KnownMistake(f"weights not scaled by {factor}",
                     f"Your initial weights have standard deviation about 1: multiply the standard normal draws by "
                     f"{factor}.", not_scaled),
        KnownMistake("weights copied out of params at init",
                     "Your loss ignores params set after construction, as when __init__ copies the weights into "
                     "attributes: read them from self.params at every call.",
                     lambda session: _cached(session, model, model.net)),
        *map(buggy, model.mistakes),
    )


def _with_l2(weights: bool, grads: float, loss: float = 0.0):
    """A Mistake's `loss`: the reference's (loss, grads) plus `loss` times the L2 term, 0.5 * reg * the sum of
    squares, over the weights (or the biases) and `grads` times its gradient, reg * param."""
    def mistaken(reference, model, X, y):
        value, gradients = model.loss(X, y)
        reg, params = model.reg, model.params
        chosen = [name for name in params if name.startswith("W") == weights]
        return value + loss * 0.5 * reg * sum(float(np.sum(params[name] ** 2)) for name in chosen), \
            {name: grad + (grads * reg * params[name] if name in chosen else 0) for name, grad in gradients.items()}
    return mistaken


#: Slips in the L2 term, which every model has.
_L2_MISTAKES = (
    Mistake("L2 term missing from the gradients",
            "Your weight gradients lack reg * W, the gradient of the L2 term you added to the loss: "
            "add self.reg * W to each weight's gradient.", loss=_with_l2(True, -1.0),
            hint="it lacks reg * {name}, the gradient of the L2 term"),
    Mistake("L2 gradient halved", "Your weight gradients carry 0.5 * reg * W: the derivative of "
            "0.5 * reg * sum(W**2) is reg * W.", loss=_with_l2(True, -0.5),
            hint="the gradient of 0.5 * reg * sum({name}**2) is reg * {name}"),
    Mistake("L2 term missing from the loss",
            "Your loss lacks 0.5 * reg * sum(W**2) over the weights, though your gradients have it: "
            "add it to the loss.", loss=_with_l2(True, 0.0, loss=-1.0),
            hint="the loss lacks the L2 term 0.5 * reg * sum(W**2) over the weights"),
    Mistake("biases regularised",
            "Your loss and bias gradients include an L2 term on the biases: regularise the weights only, "
            "W1, W2, ..., not the b's.", loss=_with_l2(False, 1.0, loss=1.0),
            hint="the biases are not regularised: the L2 term and its gradient reg * W are the weights' only"),
    # Only a hint: a diagnosis would need a learner variant that makes it (tests/learners).
    Mistake("L2 term doubled in the loss", "", loss=_with_l2(True, 0.0, loss=1.0),
            hint="the L2 term is 0.5 * reg * sum(W**2), not reg * sum(W**2)"),
)


def _cached(session: Session, model: Model, net: Net) -> bool:
    """loss(X) after the grader set params is what the model's own initial weights give, not the reference's."""
    after = _outputs(session, model, net, "set")
    try:
        own = _outputs(session, model, net, "own")
    except (CheckFailed, LearnerError):
        return False
    return matches([(own, after, _answer(session, model, net)["outputs"])])
