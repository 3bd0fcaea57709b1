"""Rows shared by the capstones: a model class built from the learner's katas, checked whole.

A capstone is a class `Model(**sizes, weight_scale, reg, seed)` with a dict
`params` and `loss(X, y=None)`, which returns the model's outputs, or
(loss, grads). The model lives in the learner's process; the parent holds a
Ref to it, asks for plain data, and compares here:

    shape      params, outputs and grads have the spec's keys and shapes
    value      the initial weights; outputs and loss against the reference
               at parameters the grader sets (the same for both)
    gradient   one row per parameter: against the reference, and against
               central differences of the learner's own loss, every element
    behaviour  X and y not modified; seeded weights; training (per kata)

Perturbing a parameter happens in the learner's process (grader.sandbox.trusted.training's
loss_at, trusted code that only moves one element and calls loss); the
difference quotients are taken here.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from grader.checks.compare import agree, compare_arrays, input_scale, same_outputs
from grader.checks.session import Session
from grader.checks.gradcheck import STEP, central_difference
from grader.checks.gradients import Numerical, judge_gradient
from grader.sandbox.process import LearnerError, Returned
from grader.authoring.kata import Check, CheckFailed, KnownMistake
from grader.checks.results import Speed
from grader.checks.returns import describe_value
from grader.checks.speed import measure_speed
from grader.sandbox.protocol import Ref

TRAINING = "grader.sandbox.trusted.training"
#: Initial weights pass when their standard deviation is within this fraction of weight_scale.
INIT_TOLERANCE = 0.25


@dataclass(frozen=True)
class Net:
    """One configuration of the model: its constructor's arguments (but seed) and a batch size."""

    label: str
    kwargs: dict
    n: int

    def describe(self) -> str:
        sizes = ", ".join(f"{key}={value}" for key, value in self.kwargs.items())
        return f"{self.label} ({sizes}; N = {self.n})"


@dataclass(frozen=True)
class OutputMistake:
    """A known mistake of the model's forward pass, seen in what loss(X) returns.

    `outputs(reference module, params, X, kwargs)` computes what the mistaken
    model returns; `hint` goes in parentheses after the outputs row's message,
    and the scorecard's diagnosis gives `name` and `explanation`.
    """

    name: str
    explanation: str
    hint: str
    outputs: Callable[[object, dict, np.ndarray, dict], np.ndarray]


@dataclass(frozen=True)
class Capstone:
    """What the shared rows need to know about one capstone.

    Attributes:
        model: the class's name ("ThreeLayerConvNet").
        outputs: what loss(X) returns, for messages ("scores").
        output_size: the constructor argument that sets how many outputs per sample ("num_classes").
        param_shapes: net kwargs -> {name: (shape, the spec's formula for it)}.
        make_batch: (rng, net) -> (X, y), float64 X.
        output_mistakes: known mistakes of the forward pass, to name one that the learner's outputs match.
    """

    model: str
    outputs: str
    output_size: str
    param_shapes: Callable[[dict], dict[str, tuple[tuple[int, ...], str]]]
    make_batch: Callable[[np.random.Generator, Net], tuple[np.ndarray, np.ndarray]]
    output_mistakes: tuple[OutputMistake, ...] = ()

    @staticmethod
    def weights(names) -> list[str]:
        return [name for name in names if name.startswith("W")]


# -- the learner's model and the reference's -----------------------------------

def _construct(session: Session, cap: Capstone, net: Net, seed: int = 0, instance: int = 0) -> Returned:
    """The learner's model, built once per (net, seed, instance) and kept in its process."""
    return session.memo(("model", net.label, seed, instance),
                        lambda: _call_in(session, net.describe(), cap.model, **net.kwargs, seed=seed,
                                         watch_global_rng=True))


def _context(net: Net, key: str) -> str:
    """What a call of loss is about, for messages: the net, and whose params."""
    return f"{net.describe()}, {'params set by the grader' if key == 'set' else 'its initial params'}"


def _call_in(session: Session, context: str, fn, *args, **kwargs) -> Returned:
    with session.about(context):
        return session.call(fn, *args, **kwargs)


def _params(session: Session, cap: Capstone, net: Net, model: Ref, seed: int = 0) -> dict[str, np.ndarray]:
    """model.params as data, checked to have the spec's keys, shapes and dtype."""
    value = session.learner.run_in_child(TRAINING, "params_of", model).value
    call = f"{cap.model}({_arguments(net, seed)})"
    if value is None:
        raise CheckFailed(f"{call} has no attribute params: set self.params, a dict of arrays, in __init__")
    if not isinstance(value, dict):
        raise CheckFailed(f"{call}.params must be a dict of arrays keyed by name; it is {describe_value(value)}")
    expected = cap.param_shapes(net.kwargs)
    missing = [name for name in expected if name not in value]
    extra = [name for name in value if name not in expected]
    if missing or extra:
        what = "; ".join(part for part in (f"lacks {', '.join(map(repr, missing))}" if missing else "",
                                           f"has unexpected {', '.join(map(repr, extra))}" if extra else "") if part)
        raise CheckFailed(f"{call}.params {what}: its keys must be {', '.join(expected)}")
    for name, (shape, formula) in expected.items():
        array = value[name]
        if not isinstance(array, np.ndarray) or array.dtype != np.float64:
            got = f"an array of dtype {array.dtype}" if isinstance(array, np.ndarray) else describe_value(array)
            raise CheckFailed(f"{call}.params[{name!r}] must be a float64 array; it is {got}")
        if array.shape != shape:
            raise CheckFailed(f"{call}.params[{name!r}] has shape {array.shape}, expected {shape} = {formula}")
    return value


def _arguments(net: Net, seed: int | None = None) -> str:
    items = [f"{key}={value!r}" for key, value in net.kwargs.items()]
    return ", ".join(items + ([f"seed={seed}"] if seed is not None else []))


def _grader_params(session: Session, cap: Capstone, net: Net) -> dict[str, np.ndarray]:
    """Parameters the grader sets in both models: He-scaled weights, small nonzero biases."""
    rng = session.rng("params", net.label)
    params = {}
    for name, (shape, _) in cap.param_shapes(net.kwargs).items():
        if name.startswith("W"):
            fan_in = int(np.prod(shape[1:])) if len(shape) == 4 else shape[0]
            params[name] = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
        else:
            params[name] = 0.1 * rng.standard_normal(shape)
    return params


def _batch(session: Session, cap: Capstone, net: Net) -> tuple[np.ndarray, np.ndarray]:
    return cap.make_batch(session.rng("batch", net.label), net)


def _set_model(session: Session, cap: Capstone, net: Net) -> Ref:
    """A learner model whose params the grader has set to _grader_params."""
    def compute() -> Ref:
        model = _construct(session, cap, net, instance=1).ref
        session.learner.run_in_child(TRAINING, "set_params", model, _grader_params(session, cap, net))
        return model
    return session.memo(("set model", net.label), compute)


def _reference(session: Session, cap: Capstone, net: Net):
    """The reference model with the grader's params: (outputs, loss, grads) on the net's batch."""
    def compute():
        model = getattr(session.reference, cap.model)(**net.kwargs, seed=0)
        model.params = {name: value.copy() for name, value in _grader_params(session, cap, net).items()}
        X, y = _batch(session, cap, net)
        loss, grads = model.loss(X.copy(), y.copy())
        return model.loss(X.copy()), loss, grads
    return session.memo(("reference", net.label), compute)


# -- the learner's answers, each asked for once ---------------------------------

def _outputs(session: Session, cap: Capstone, net: Net, model: Ref, key: str) -> tuple[np.ndarray, Returned]:
    """loss(X) of `model` on the net's batch, checked to be (N, outputs) floats."""
    def compute():
        X, _ = _batch(session, cap, net)
        with session.about(_context(net, key)):
            returned = session.call(model.attr("loss"), X)
        return _expect_outputs(cap, net, returned.value), returned
    return session.memo(("outputs", net.label, key), compute)


def _expect_outputs(cap: Capstone, net: Net, value: object) -> np.ndarray:
    shape = (net.n, net.kwargs[cap.output_size])
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
        raise CheckFailed(f"{net.describe()}: loss(X) must return the {cap.outputs}, an array of shape {shape}; "
                          f"it returned {describe_value(value)}")
    if value.shape != shape:
        raise CheckFailed(f"{net.describe()}: loss(X) returned {cap.outputs} of shape {value.shape}, "
                          f"expected {shape}")
    return value


def _loss_and_grads(session: Session, cap: Capstone, net: Net, model: Ref, key: str):
    """loss(X, y) of `model`: (loss as a float, grads checked for keys and shapes, the call)."""
    def compute():
        X, y = _batch(session, cap, net)
        with session.about(_context(net, key)):
            returned = session.call(model.attr("loss"), X, y)
        value = returned.value
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise CheckFailed(f"{net.describe()}: loss(X, y) must return a tuple (loss, grads); it returned "
                              f"{describe_value(value) if not isinstance(value, (tuple, list)) else f'{len(value)} items'}")
        loss, grads = value
        if isinstance(loss, np.ndarray) and loss.size == 1 and loss.dtype.kind in "iuf":
            loss = loss.reshape(()).item()
        if isinstance(loss, bool) or not isinstance(loss, (int, float, np.integer, np.floating)):
            raise CheckFailed(f"{net.describe()}: loss(X, y)'s loss must be a float; it is {describe_value(loss)}")
        expected = cap.param_shapes(net.kwargs)
        if not isinstance(grads, dict) or set(grads) != set(expected):
            keys = f"keys {', '.join(map(repr, grads))}" if isinstance(grads, dict) else describe_value(grads)
            raise CheckFailed(f"{net.describe()}: grads must be a dict with the keys of params "
                              f"({', '.join(expected)}); it has {keys}")
        for name, (shape, _) in expected.items():
            grad = grads[name]
            if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "iuf":
                raise CheckFailed(f"{net.describe()}: grads[{name!r}] must be an array; it is {describe_value(grad)}")
            if grad.shape != shape:
                raise CheckFailed(f"{net.describe()}: grads[{name!r}] has shape {grad.shape}, expected {shape} "
                                  f"(the shape of params[{name!r}])")
        return float(loss), grads, returned
    return session.memo(("loss", net.label, key), compute)


def _numerical(session: Session, cap: Capstone, net: Net, name: str) -> np.ndarray:
    """Central differences of the learner's own loss w.r.t. params[name], every element."""
    def compute():
        _set_model(session, cap, net)  # a model with the grader's params must build, or this check says why
        X, y = _batch(session, cap, net)
        shape = cap.param_shapes(net.kwargs)[name][0]
        size = int(np.prod(shape))
        # The same model, built afresh from plain data in each process: the twin takes half of the
        # elements, except while its training run (TrainingRun) has not replied yet.
        losses, _ = session.learner.run_split_in_child(
            TRAINING, "loss_at_set_params", range(size), cap.model, {**net.kwargs, "seed": 0},
            _grader_params(session, cap, net), name, STEP, X, y, min_split=2)  # each loss costs ~1 ms
        if not isinstance(losses, np.ndarray) or losses.shape != (size, 2):
            raise CheckFailed(f"{net.describe()}: could not evaluate your loss at perturbed params[{name!r}]")
        return central_difference(losses.astype(np.float64), np.array(1.0), STEP).reshape(shape)
    return session.memo(("numerical", net.label, name), compute)


# -- the rows -------------------------------------------------------------------

def params_shapes(cap: Capstone, net: Net) -> Callable[[Session], None]:
    def run(session: Session) -> None:
        _params(session, cap, net, _construct(session, cap, net).ref)
    return run


def outputs_shape(cap: Capstone, net: Net) -> Callable[[Session], None]:
    def run(session: Session) -> None:
        _outputs(session, cap, net, _construct(session, cap, net).ref, "own")
    return run


def grads_shapes(cap: Capstone, net: Net) -> Callable[[Session], None]:
    def run(session: Session) -> None:
        _loss_and_grads(session, cap, net, _construct(session, cap, net).ref, "own")
    return run


def initial_weights(cap: Capstone, net: Net) -> Callable[[Session], str]:
    """Each W ~ weight_scale * N(0, 1) (std within INIT_TOLERANCE, mean near 0); each b all zeros."""
    def run(session: Session) -> str:
        scale = net.kwargs["weight_scale"]
        params = _params(session, cap, net, _construct(session, cap, net).ref)
        call = f"{cap.model}({_arguments(net, 0)})"
        stds = []
        for name, value in params.items():
            if not name.startswith("W"):
                if np.any(value != 0):
                    raise CheckFailed(f"{call}: params[{name!r}] must start as zeros; {np.count_nonzero(value)} "
                                      f"of its {value.size} entries are not 0")
                continue
            std, mean = float(value.std()), float(value.mean())
            stds.append(f"{name} {std:.3g}")
            if abs(std / scale - 1) > INIT_TOLERANCE:
                hint = _scale_hint(std, scale)
                raise CheckFailed(f"{call}: params[{name!r}] has standard deviation {std:.4g}; with weight_scale "
                                  f"{scale:g} it must be about {scale:g} (within {INIT_TOLERANCE:.0%}){hint}")
            if abs(mean) > INIT_TOLERANCE * scale:
                raise CheckFailed(f"{call}: params[{name!r}] has mean {mean:.4g}; weight_scale times standard "
                                  f"normal draws have mean about 0 (within {INIT_TOLERANCE * scale:g} here)")
        return f"standard deviations {', '.join(stds)} for weight_scale {scale:g}"
    return run


def _scale_hint(std: float, scale: float) -> str:
    if abs(std - 1) < INIT_TOLERANCE:
        return ": are the draws multiplied by weight_scale?"
    if abs(std / scale - 1 / np.sqrt(3)) < 0.1:
        return ": uniform draws on [-weight_scale, weight_scale]? Use weight_scale * rng.standard_normal(shape)"
    return ""


def initial_loss(cap: Capstone, net: Net, batch: Callable[[], tuple[np.ndarray, np.ndarray]],
                 expected: float, tolerance: float, why: str) -> Callable[[Session], str]:
    """The loss of the learner's freshly initialised model on `batch` is `expected` within `tolerance`."""
    def run(session: Session) -> str:
        X, y = batch()
        returned = session.call(_construct(session, cap, net).ref.attr("loss"), X, y, send=(0,))
        value = returned.value
        loss = value[0] if isinstance(value, (tuple, list)) and len(value) == 2 else value
        if isinstance(loss, np.ndarray) and loss.size == 1:
            loss = loss.reshape(()).item()
        if isinstance(loss, bool) or not isinstance(loss, (int, float, np.integer, np.floating)):
            raise CheckFailed(f"loss(X, y) must return (loss, grads) with loss a float; it returned "
                              f"{describe_value(value)}")
        if not abs(loss - expected) <= tolerance:
            raise CheckFailed(f"{cap.model}({_arguments(net, 0)}) on {len(X)} samples: initial loss {loss:.6g}, "
                              f"expected {expected:.6g} within {tolerance:g} ({why})")
        return f"{loss:.6g}, expected {expected:.6g}"
    return run


def _scale(session: Session, cap: Capstone, net: Net) -> float:
    """The agreement rule's s: the largest magnitude among X, y and the grader's params."""
    X, y = _batch(session, cap, net)
    return input_scale(X, y, *_grader_params(session, cap, net).values())


def outputs_values(cap: Capstone, net: Net, why: str = "") -> Callable[[Session], None]:
    """loss(X) at the grader's params against the reference's; `why` heads the message (edge rows)."""
    def run(session: Session) -> None:
        with _because(why):
            got, _ = _outputs(session, cap, net, _set_model(session, cap, net), "set")
            expected = _reference(session, cap, net)[0]
            mismatch = compare_arrays(cap.outputs, expected, got, _scale(session, cap, net), {"N": net.n})
            if mismatch is None:
                return
            raise CheckFailed(f"{net.describe()}, params set by the grader: {mismatch.describe()}"
                              f"{_outputs_hint(session, cap, net, got)}")
    return run


def _outputs_hint(session: Session, cap: Capstone, net: Net, got: np.ndarray) -> str:
    """' (what went wrong)' when the learner's outputs are those of a known mistake, else ''."""
    X, _ = _batch(session, cap, net)
    for mistake in cap.output_mistakes:
        if compare_arrays(cap.outputs, mistake.outputs(session.reference, _grader_params(session, cap, net), X,
                                                       net.kwargs), got) is None:
            return f" ({mistake.hint})"
    try:
        own, _ = _outputs(session, cap, net, _construct(session, cap, net).ref, "own")
    except (CheckFailed, LearnerError):
        return ""
    if compare_arrays(cap.outputs, own, got) is None:
        return (" (the same as before the grader set params: loss must read the weights from self.params "
                "at every call)")
    return ""


def loss_value(cap: Capstone, net: Net) -> Callable[[Session], None]:
    """loss(X, y) at the grader's params, reg included, against the reference's."""
    def run(session: Session) -> None:
        if _loss_agrees(session, cap, net):
            return
        got = _loss_and_grads(session, cap, net, _set_model(session, cap, net), "set")[0]
        expected = _reference(session, cap, net)[1]
        params, reg = _grader_params(session, cap, net), net.kwargs["reg"]
        weights = 0.5 * reg * sum(float(np.sum(params[name] ** 2)) for name in cap.weights(params))
        biases = 0.5 * reg * sum(float(np.sum(value ** 2)) for name, value in params.items() if name[0] != "W")
        hints = ((expected - weights, "the loss lacks the L2 term 0.5 * reg * sum(W**2) over the weights"),
                 (expected + weights, "the L2 term is 0.5 * reg * sum(W**2), not reg * sum(W**2)"),
                 (expected + biases, "the biases are not regularised: the L2 term sums over W1, W2, ... only"))
        hint = next((f" ({text})" for value, text in hints if agree(value, got, _scale(session, cap, net))), "")
        mismatch = compare_arrays("loss", np.array(expected), np.array(got), _scale(session, cap, net), {"N": net.n})
        raise CheckFailed(f"{net.describe()}, params set by the grader: {mismatch.describe()}{hint}")
    return run


def _loss_agrees(session: Session, cap: Capstone, net: Net) -> bool:
    """Whether the learner's loss(X, y) at the grader's params agrees with the reference's."""
    got = _loss_and_grads(session, cap, net, _set_model(session, cap, net), "set")[0]
    return agree(_reference(session, cap, net)[1], got, _scale(session, cap, net))


def gradient(cap: Capstone, net: Net, name: str) -> Callable[[Session], str | None]:
    """grads[name] against the reference's and against central differences of the learner's loss."""
    def run(session: Session) -> str | None:
        _, grads, _ = _loss_and_grads(session, cap, net, _set_model(session, cap, net), "set")
        got = grads[name]
        expected = _reference(session, cap, net)[2][name]
        scale = _scale(session, cap, net)
        hint = _gradient_hint(name, got, expected, _grader_params(session, cap, net)[name], net.kwargs["reg"], scale)
        return judge_gradient(f"grads[{name!r}]", got, expected, Numerical.everywhere(_numerical(session, cap, net, name)),
                              forward_right=_loss_agrees(session, cap, net), label=net.describe(), scale=scale,
                              quantities={"N": net.n, "reg": net.kwargs["reg"]}, forward="loss", hint=hint)
    return run


def _gradient_hint(name: str, got: np.ndarray, expected: np.ndarray, value: np.ndarray, reg: float,
                   scale: float) -> str:
    if name.startswith("W"):
        hints = ((expected - reg * value, f"it lacks reg * {name}, the gradient of the L2 term"),
                 (expected - 0.5 * reg * value, f"the gradient of 0.5 * reg * sum({name}**2) is reg * {name}"))
    else:
        hints = ((expected + reg * value, f"biases are not regularised: no reg * {name} in its gradient"),)
    return next((f" ({text})" for other, text in hints if agree(other, got, scale)), "")


def not_modified(cap: Capstone, net: Net) -> Callable[[Session], None]:
    """No call of loss by any row changed the X or y it was given."""
    def run(session: Session) -> None:
        model = _construct(session, cap, net).ref
        _outputs(session, cap, net, model, "own")
        _loss_and_grads(session, cap, net, model, "own")
        session.check_inputs_unmodified()
    return run


def seeded(cap: Capstone, net: Net) -> Callable[[Session], None]:
    """The same seed gives the same weights, another seed others, and the global RNG is left alone."""
    def run(session: Session) -> None:
        first, again, other = (_construct(session, cap, net, seed, instance)
                               for seed, instance in ((3, 0), (3, 1), (4, 0)))
        for returned, seed in ((first, 3), (other, 4)):
            if returned.global_rng_changed:
                raise CheckFailed(f"{cap.model}(..., seed={seed}) changed the global np.random state: draw from "
                                  f"rng = np.random.default_rng(seed), not from np.random")
        params = [_params(session, cap, net, returned.ref, seed)
                  for returned, seed in ((first, 3), (again, 3), (other, 4))]
        for key in params[0]:
            if not np.array_equal(params[0][key], params[1][key]):
                raise CheckFailed(f"two {cap.model}(..., seed=3) got different params[{key!r}]: draw every weight "
                                  f"from np.random.default_rng(seed)")
        weights = cap.weights(params[0])
        if all(np.array_equal(params[0][key], params[2][key]) for key in weights):
            raise CheckFailed(f"{cap.model}(..., seed=3) and (..., seed=4) got the same weights: draw them from "
                              f"np.random.default_rng(seed)")
    return run


@contextmanager
def _because(why: str):
    """A CheckFailed, or a non-fatal error of the learner's code, raised inside gets `why: ` in front."""
    try:
        yield
    except CheckFailed as failure:
        if not why:
            raise
        raise CheckFailed(f"{why}: {failure}") from None
    except LearnerError as error:
        if not why or error.fatal or error.kind == "not_started":
            raise
        raise CheckFailed(f"{why}: {error.describe()}") from None


# -- known mistakes -------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    """The reference model's answer at the grader's params on a net's batch, and what it came from."""

    params: dict[str, np.ndarray]
    X: np.ndarray
    y: np.ndarray
    reg: float
    loss: float
    grads: dict[str, np.ndarray]

    def l2(self, names) -> float:
        """0.5 * reg * the sum of squares of params[name] over `names`."""
        return 0.5 * self.reg * sum(float(np.sum(self.params[name] ** 2)) for name in names)


def model_mistake(cap: Capstone, net: Net, name: str, explanation: str,
                  mistaken: Callable[[Answer], dict[str, object]]) -> KnownMistake:
    """A known mistake of loss(X, y), given as what it returns at the grader's params on `net`.

    `mistaken(answer)` gives the parts the mistake determines: "loss" and/or
    grads by parameter name. The learner's loss(X, y) matches when every part
    agrees with it, and at least one differs from the reference.
    """
    def detect(session: Session) -> bool:
        loss, grads, _ = _loss_and_grads(session, cap, net, _set_model(session, cap, net), "set")
        _, right_loss, right_grads = _reference(session, cap, net)
        X, y = _batch(session, cap, net)
        answer = Answer(_grader_params(session, cap, net), X, y, net.kwargs["reg"], right_loss, right_grads)
        telling = False
        for part, wrong in mistaken(answer).items():
            got, right = (loss, right_loss) if part == "loss" else (grads[part], right_grads[part])
            if not same_outputs(np.asarray(wrong), np.asarray(got)):
                return False
            telling = telling or not same_outputs(np.asarray(wrong), np.asarray(right))
        return telling
    return KnownMistake(name, explanation, detect)


def _outputs_mistake(cap: Capstone, net: Net, mistake: OutputMistake) -> KnownMistake:
    def detect(session: Session) -> bool:
        got, _ = _outputs(session, cap, net, _set_model(session, cap, net), "set")
        X, _ = _batch(session, cap, net)
        wrong = mistake.outputs(session.reference, _grader_params(session, cap, net), X, net.kwargs)
        return same_outputs(wrong, got) and not same_outputs(wrong, _reference(session, cap, net)[0])
    return KnownMistake(mistake.name, mistake.explanation, detect)


def _weights_not_scaled(cap: Capstone, net: Net) -> Callable[[Session], bool]:
    """Every initial W has standard deviation about 1, whatever weight_scale says."""
    def detect(session: Session) -> bool:
        params = _params(session, cap, net, _construct(session, cap, net).ref)
        weights = cap.weights(params)
        return bool(weights) and abs(net.kwargs["weight_scale"] - 1) > INIT_TOLERANCE and \
            all(abs(float(params[name].std()) - 1) <= INIT_TOLERANCE for name in weights)
    return detect


def _weights_cached(cap: Capstone, net: Net) -> Callable[[Session], bool]:
    """loss(X) gives the same outputs after the grader set params as from the model's own weights."""
    def detect(session: Session) -> bool:
        after, _ = _outputs(session, cap, net, _set_model(session, cap, net), "set")
        own, _ = _outputs(session, cap, net, _construct(session, cap, net).ref, "own")
        return same_outputs(after, own) and not same_outputs(after, _reference(session, cap, net)[0])
    return detect


def mistakes_for(cap: Capstone, values: Net, gradients: Net, init: Net) -> tuple[KnownMistake, ...]:
    """The known mistakes every capstone shares, then one per output mistake of `cap`."""
    def weights(answer: Answer) -> list[str]:
        return cap.weights(answer.params)

    def biases(answer: Answer) -> list[str]:
        return [name for name in answer.params if name not in weights(answer)]

    def shifted_grads(answer: Answer, factor: float, names) -> dict[str, np.ndarray]:
        """Every gradient, those of `names` moved by factor * reg * param."""
        return {name: grad + (factor * answer.reg * answer.params[name] if name in names else 0)
                for name, grad in answer.grads.items()}

    shared = (
        model_mistake(cap, gradients, "L2 term missing from the gradients",
                      "Your weight gradients lack reg * W, the gradient of the L2 term you added to the loss: "
                      "add self.reg * W to each weight's gradient.",
                      lambda answer: shifted_grads(answer, -1.0, weights(answer))),
        model_mistake(cap, gradients, "L2 gradient halved",
                      "Your weight gradients carry 0.5 * reg * W: the derivative of 0.5 * reg * sum(W**2) "
                      "is reg * W.", lambda answer: shifted_grads(answer, -0.5, weights(answer))),
        model_mistake(cap, gradients, "L2 term missing from the loss",
                      "Your loss lacks 0.5 * reg * sum(W**2) over the weights, though your gradients have it: "
                      "add it to the loss.",
                      lambda answer: {"loss": answer.loss - answer.l2(weights(answer)), **answer.grads}),
        model_mistake(cap, gradients, "biases regularised",
                      "Your loss and bias gradients include an L2 term on the biases: regularise the weights "
                      "only, W1, W2, ..., not the b's.",
                      lambda answer: {"loss": answer.loss + answer.l2(biases(answer)),
                                      **shifted_grads(answer, 1.0, biases(answer))}),
        KnownMistake("weights not scaled by weight_scale",
                     "Your initial weights have standard deviation about 1: multiply the standard normal draws "
                     "by weight_scale.", _weights_not_scaled(cap, init)),
        KnownMistake("weights copied out of params at init",
                     "Your loss ignores params set after construction, as when __init__ copies the weights into "
                     "attributes: read them from self.params at every call.", _weights_cached(cap, values)),
    )
    return shared + tuple(_outputs_mistake(cap, values, mistake) for mistake in cap.output_mistakes)


# -- training -------------------------------------------------------------------

@dataclass(frozen=True)
class Trained:
    """What the parent knows of a training run in the learner's process."""

    outputs: object          # the trained model's loss(X) on the training data, as it came back
    losses: list[float]
    epochs: int | None
    seconds: float


@dataclass(frozen=True)
class TrainingRun:
    """A fresh model (seed 0) trained by a loop of grader.sandbox.trusted.training on the kata's data, with a live bar.

    Where there is a twin process, the row's `start` (the engine calls it
    before the first row) hands the run to the twin, which trains while
    this process answers the rows above; `run`, in the row, collects it.
    Elsewhere `run` trains here.
    """

    cap: Capstone
    net: Net
    trainer: str   # train_classifier or train_regressor
    title: str     # the bar's, and the job's name
    data: Callable[[], tuple[np.ndarray, np.ndarray]]
    options: dict  # the trainer's keyword arguments

    def start(self, session: Session) -> None:
        session.learner.start_in_twin(self.title, TRAINING, "train_model", *self._arguments(session),
                                      **self.options)

    def run(self, session: Session) -> Trained:
        with session.progress(self.title) as bar:
            finished = session.learner.finish_in_twin(self.title, on_progress=bar.update)
            if finished is None:
                returned = session.learner.run_in_child(TRAINING, "train_model", *self._arguments(session),
                                                        on_progress=bar.update, **self.options)
                finished = returned.value, returned.seconds
        value, seconds = finished
        history = value if isinstance(value, dict) else {}
        losses = history.get("losses")
        if not (isinstance(losses, list) and all(isinstance(v, float) for v in losses)):
            losses = bar.losses
        epochs = history.get("epochs") if isinstance(history.get("epochs"), int) else None
        return Trained(history.get("outputs"), losses, epochs, seconds)

    def data_for(self, session: Session) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) it trains on, made once per grading run."""
        return session.memo(("training data", self.title), self.data)

    def _arguments(self, session: Session) -> tuple:
        X, y = self.data_for(session)
        return self.cap.model, {**self.net.kwargs, "seed": 0}, self.trainer, X, y


# -- speed ----------------------------------------------------------------------

def speed(cap: Capstone, net: Net, workload: str) -> Callable[[Session], Speed]:
    """One loss(X, y) with gradients on `net`'s batch, learner vs reference."""
    def run(session: Session) -> Speed:
        X, y = _batch(session, cap, net)
        reference = getattr(session.reference, cap.model)(**net.kwargs, seed=0)
        model = _construct(session, cap, net, instance=2).ref

        def run_learner() -> float:
            return session.call(model.attr("loss"), X, y, send=(), watch_inputs=False).seconds

        return measure_speed(session, workload, lambda: reference.loss(X, y), run_learner)
    return run


def checks_for(cap: Capstone, shapes: Net, values: Net, gradients: Net, init: Net) -> dict[str, Check]:
    """The shared rows, by name, for a kata to order with its own."""
    grads = ("grads shapes",)
    rows = [
        Check("params shapes", "shape", params_shapes(cap, shapes)),
        Check(f"{cap.outputs} shape", "shape", outputs_shape(cap, shapes)),
        Check("grads shapes", "shape", grads_shapes(cap, shapes)),
        Check("initial weights", "value", initial_weights(cap, init), needs=("params shapes",)),
        Check(f"{cap.outputs} values", "value", outputs_values(cap, values), needs=(f"{cap.outputs} shape",)),
        Check("loss value with reg", "value", loss_value(cap, values), needs=grads),
        *(Check(f"gradient {name}", "gradient", gradient(cap, gradients, name), needs=grads)
          for name in cap.param_shapes(gradients.kwargs)),
        Check("X and y not modified", "behaviour", not_modified(cap, shapes), runs_last=True),
        Check("seeded weights", "behaviour", seeded(cap, shapes), needs=("params shapes",)),
    ]
    return {row.name: row for row in rows}
