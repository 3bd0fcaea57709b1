"""Checks for forward/backward layer katas, built from a declarative `Layer`.

A layer kata has `forward(*arrays, **params) -> (out, cache)` and
`backward(dout, cache) -> (d<array> for each array)`. From the cases in a
`Layer`, `layer_checks` builds the standard rows:

    shape      forward output shape, backward gradient shapes
    value      forward values
    gradient   one row per input (dx, dw, db): against the reference backward
               and against numerical gradients of the learner's own forward
    edge       one row per edge case: all of the above on that case
    behaviour  inputs not modified, deterministic

Every learner call for a case runs once and is shared by the rows (Session.memo).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader.compare import Mismatch, compare_arrays, same_outputs
from grader.engine import Session
from grader.gradcheck import STEP, central_difference
from grader.isolation import LearnerError
from grader.kata import Check, CheckFailed, KnownMistake
from grader.results import GROUPS, Speed
from grader.speed import learner_pass, measure_speed, reference_pass
from grader.returns import expect_array, expect_tuple, modified_inputs
from grader.wire import Ref

#: Fewest elements a numerical gradient checks, however slow the learner's forward.
MIN_CHECKED_ELEMENTS = 24
_FIRST_BATCH = 8
#: One request for all of a case's elements only when one forward's time says they fit this many times over.
_ROOM = 3


@dataclass(frozen=True)
class Case:
    """One configuration: the array inputs' shapes and the keyword parameters.

    Inputs are float64 draws from N(0, 1) seeded by the kata and the case name,
    unless `make` builds them (to keep away from kinks and ties, say).
    """

    name: str
    shapes: dict[str, tuple[int, ...]]
    params: dict[str, object] = field(default_factory=dict)
    make: Callable[[np.random.Generator, dict], dict[str, np.ndarray]] | None = None

    def label(self) -> str:
        shapes = ", ".join(f"{name} {_shape(shape)}" for name, shape in self.shapes.items())
        return f"{self.name} [{shapes}]"


@dataclass(frozen=True)
class Edge:
    """An edge case: a case with a name and the rule it probes.

    `gradients` says how backward is checked there: "numerical" (against
    the reference and numerical gradients), "reference" (only against the
    reference: for inputs with ties, where the function has a kink), or
    "none" (forward only: for inputs where central differences are not
    accurate enough, such as a 1e6 offset).
    """

    name: str
    case: Case
    why: str = ""
    gradients: str = "numerical"

    def __post_init__(self) -> None:
        if self.gradients not in ("numerical", "reference", "none"):
            raise ValueError(f"edge {self.name!r}: gradients must be 'numerical', 'reference' or 'none'")


@dataclass(frozen=True)
class Layer:
    """A forward/backward kata, declaratively.

    Attributes:
        forward, backward: the learner's function names.
        inputs: names of forward's array arguments in call order ("x", "w", "b");
            backward returns their gradients in the same order.
        cases: configurations for the shape, value, gradient and behaviour rows.
        edges: edge cases, one row each.
        speed_case: a larger case for the speed line.
    """

    forward: str
    backward: str
    inputs: tuple[str, ...]
    cases: tuple[Case, ...]
    edges: tuple[Edge, ...] = ()
    speed_case: Case | None = None

    @property
    def grad_names(self) -> tuple[str, ...]:
        return tuple(f"d{name}" for name in self.inputs)

    @property
    def gradient_elements(self) -> int:
        """How many input elements all numerical gradients would perturb, every case included."""
        cases = self.cases + tuple(edge.case for edge in self.edges if edge.gradients == "numerical")
        return sum(int(np.prod(case.shapes[name])) for case in cases for name in self.inputs)


def layer_checks(layer: Layer, extra: tuple[Check, ...] = (), prefix: str = "") -> tuple[Check, ...]:
    """The standard rows for a layer kata plus the kata's own `extra` rows, in scorecard order.

    `prefix` starts every standard row's name, for katas with several layers
    (e.g. "relu " in activations: "relu forward values").
    """
    rows = [
        Check("forward output shape", "shape", _over_cases(layer, _check_output_shape)),
        Check("backward gradient shapes", "shape", _over_cases(layer, _check_gradient_shapes)),
        Check("forward values", "value", _over_cases(layer, _check_values)),
    ]
    for index, grad in enumerate(layer.grad_names):
        rows.append(Check(f"gradient {grad}", "gradient",
                          _over_cases(layer, lambda s, l, c, i=index: _check_gradient(s, l, c, i))))
    for edge in layer.edges:
        rows.append(Check(edge.name, "edge", lambda s, e=edge: _check_edge(s, layer, e)))
    rows.append(Check("inputs not modified", "behaviour", _over_cases(layer, _check_not_modified)))
    rows.append(Check("deterministic", "behaviour", _over_cases(layer, _check_deterministic)))
    rows = [Check(prefix + row.name, row.group, row.run) for row in rows]
    return tuple(sorted(rows + list(extra), key=lambda check: GROUPS.index(check.group)))


def layer_speed(layer: Layer) -> Callable[[Session], Speed]:
    """The speed line: one forward+backward of `layer.speed_case`, learner vs reference."""
    return lambda session: _measure_speed(session, layer, layer.speed_case)


# -- running one case ---------------------------------------------------------

@dataclass(frozen=True)
class _Expected:
    out: np.ndarray
    grads: tuple[np.ndarray, ...]
    dout: np.ndarray


@dataclass(frozen=True)
class _Forward:
    out: np.ndarray
    cache: Ref
    seconds: float
    modified: tuple[str, ...]   # names of inputs the call changed


def _inputs(session: Session, case: Case) -> dict[str, np.ndarray]:
    rng = session.rng("inputs", case.label())
    if case.make is not None:
        return case.make(rng, case.shapes)
    return {name: rng.standard_normal(shape) for name, shape in case.shapes.items()}


def _expected(session: Session, layer: Layer, case: Case) -> _Expected:
    def compute() -> _Expected:
        arrays = _inputs(session, case)
        out, cache = session.reference_call(layer.forward, *arrays.values(), **case.params)
        # The upstream gradient is drawn independently of the inputs (a dout
        # correlated with x can hide a wrong backward).
        dout = session.rng("dout", case.label()).standard_normal(out.shape)
        grads = getattr(session.reference, layer.backward)(dout.copy(), cache)
        return _Expected(out, (grads,) if len(layer.inputs) == 1 else tuple(grads), dout)
    return session.memo(("expected", layer.forward, case.label()), compute)


def _forward(session: Session, layer: Layer, case: Case, repeat: int = 0) -> _Forward:
    def compute() -> _Forward:
        arrays = _inputs(session, case)
        returned = session.call(layer.forward, *arrays.values(), send=(0,), return_args=True, **case.params)
        out = expect_tuple(returned.value, layer.forward, ("out", "cache"))[0]
        expect_array(out, f"{layer.forward}'s out")
        return _Forward(out, returned.ref[1], returned.seconds,
                        modified_inputs(arrays, returned.args_after[0]))
    return session.memo(("forward", layer.forward, case.label(), repeat), compute)


def _backward(session: Session, layer: Layer, case: Case, repeat: int = 0) -> tuple[tuple[np.ndarray, ...], bool]:
    """The learner's gradients for `case`, and whether backward modified dout."""
    def compute():
        expected = _expected(session, layer, case)
        forward = _forward(session, layer, case, repeat)
        if forward.out.shape != expected.out.shape:
            raise CheckFailed(f"{case.label()}: cannot run {layer.backward}: {layer.forward}'s out has shape "
                              f"{forward.out.shape}, expected {expected.out.shape} (fix the forward first)")
        returned = session.call(layer.backward, expected.dout, forward.cache, return_args=True)
        # One input: backward returns its gradient itself (dx), not a 1-tuple.
        grads = (returned.value,) if len(layer.inputs) == 1 else \
            expect_tuple(returned.value, layer.backward, layer.grad_names)
        for grad, name in zip(grads, layer.grad_names):
            expect_array(grad, name)
        dout_after = returned.args_after[0][0]
        return grads, modified_inputs({"dout": expected.dout}, (dout_after,)) != ()
    return session.memo(("backward", layer.forward, case.label(), repeat), compute)


def _numerical(session: Session, layer: Layer, case: Case, index: int) -> tuple[np.ndarray, np.ndarray]:
    """Numerical gradient of the learner's forward w.r.t. input `index`: (flat indices, values).

    Every element is checked when the time budget affords it; otherwise a
    deterministic random sample, and the row's note says how many. When the
    learner's forward on this case was quick enough, every input's elements
    go in one request (see _every_element_at_once); otherwise the cost per
    element is measured on a first small batch, so one slow first call (a
    cold cache, an import) does not shrink the sample.
    """
    at_once = _every_element_at_once(session, layer, case)
    if at_once is not None:
        return at_once[index]

    def compute():
        expected = _expected(session, layer, case)
        arrays = tuple(_inputs(session, case).values())
        order = session.rng("sample", case.label(), index).permutation(arrays[index].size)
        allowance = session.gradient_budget.allowance(len(order), layer.gradient_elements)
        done, values, spent, rate = 0, [], 0.0, None
        while done < len(order):
            if rate is None:
                batch = min(len(order), _FIRST_BATCH)
            else:  # as many as the rest of the allowance affords, at the latest batch's rate
                batch = min(len(order) - done, int((allowance - spent) / max(rate, 1e-9)))
                batch = max(batch, min(len(order), MIN_CHECKED_ELEMENTS) - done)
                if batch <= 0:
                    break
            outputs, seconds = session.learner.perturbed_outputs(
                layer.forward, arrays, case.params, index, order[done:done + batch], STEP, item=0)
            values.append(central_difference(_expect_out_shape(outputs, layer, case, expected), expected.dout, STEP))
            done, spent, rate = done + batch, spent + seconds, seconds / batch
        session.gradient_budget.spend(spent, len(order))
        indices = order[:done]
        ranks = np.argsort(indices)
        return indices[ranks], np.concatenate(values)[ranks]
    return session.memo(("numerical", layer.forward, case.label(), index), compute)


def _every_element_at_once(session: Session, layer: Layer, case: Case) -> tuple | None:
    """Every input's numerical gradient, one (flat indices, values) per input, from one request.

    Only when one forward of the learner's on this case says that every
    element of every input fits the time budget _ROOM times over; else None.
    Each request is a round trip to the learner's process (and its twin):
    on small cases, round trips cost more than the forwards.
    """
    def compute():
        try:
            per_element = 2 * _forward(session, layer, case).seconds  # two forwards per central difference
        except (CheckFailed, LearnerError):
            return None  # the rows say what is wrong with the forward; measure elsewhere
        arrays = tuple(_inputs(session, case).values())
        sizes = [array.size for array in arrays]
        allowance = sum(session.gradient_budget.allowance(size, layer.gradient_elements) for size in sizes)
        if sum(sizes) * per_element * _ROOM > allowance:
            return None
        expected = _expected(session, layer, case)
        points = [(wrt, element) for wrt, size in enumerate(sizes) for element in range(size)]
        outputs, seconds = session.learner.perturbed_outputs_at(
            layer.forward, arrays, case.params, points, STEP, item=0)
        values = central_difference(_expect_out_shape(outputs, layer, case, expected), expected.dout, STEP)
        gradients, start = [], 0
        for size in sizes:
            session.gradient_budget.spend(seconds * size / sum(sizes), size)
            gradients.append((np.arange(size), values[start:start + size]))
            start += size
        return tuple(gradients)
    return session.memo(("numerical, every input", layer.forward, case.label()), compute)


def _expect_out_shape(outputs: np.ndarray, layer: Layer, case: Case, expected: _Expected) -> np.ndarray:
    """Perturbed outputs (n, 2, *out_shape), refused unless out has the reference's shape."""
    if outputs.shape[2:] != expected.out.shape:
        raise CheckFailed(f"{case.label()}: {layer.forward}'s out has shape {outputs.shape[2:]}, "
                          f"expected {expected.out.shape}")
    return outputs


# -- the rows -----------------------------------------------------------------

def _over_cases(layer: Layer, check_case: Callable[[Session, Layer, Case], str | None]):
    """A row's run(): check every case; report the first failure and how many failed."""
    def run(session: Session) -> str | None:
        failures: list[Exception] = []
        notes: dict[str, list[str]] = {}   # note -> the cases it applies to
        for case in layer.cases:
            try:
                note = check_case(session, layer, case)
            except (CheckFailed, LearnerError) as error:
                if isinstance(error, LearnerError) and error.fatal:
                    raise
                failures.append(error)
                continue
            if note:
                notes.setdefault(note, []).append(case.name)
        if not failures:
            return "; ".join(f"{'; '.join(names)}: {note}" for note, names in notes.items()) or None
        first = failures[0]
        if len(failures) == 1 or getattr(first, "kind", None) == "not_started":
            raise first
        more = f" (and {len(failures) - 1} more of {len(layer.cases)} configurations)"
        if isinstance(first, LearnerError):
            raise LearnerError(first.kind, first.summary + more, first.location)
        raise CheckFailed(str(first) + more, first.error_map, first.map_title)
    return run


def _check_output_shape(session: Session, layer: Layer, case: Case) -> None:
    expected = _expected(session, layer, case).out.shape
    got = _forward(session, layer, case).out.shape
    if got != expected:
        raise CheckFailed(f"{case.label()}: out has shape {got}, expected {expected}")


def _check_gradient_shapes(session: Session, layer: Layer, case: Case, only: int | None = None) -> None:
    """Each gradient has its input's shape (with `only`, just that gradient)."""
    grads, _ = _backward(session, layer, case)
    for index, (grad, name, array_name) in enumerate(zip(grads, layer.grad_names, layer.inputs)):
        expected = case.shapes[array_name]
        if only in (None, index) and grad.shape != tuple(expected):
            raise CheckFailed(f"{case.label()}: {name} has shape {grad.shape}, expected {tuple(expected)} "
                              f"(the shape of {array_name})")


def _check_values(session: Session, layer: Layer, case: Case) -> None:
    _check_output_shape(session, layer, case)
    mismatch = compare_arrays("out", _expected(session, layer, case).out, _forward(session, layer, case).out)
    if mismatch:
        raise CheckFailed.from_mismatch(f"{case.label()}: {mismatch.describe()}", mismatch)


def _check_gradient(session: Session, layer: Layer, case: Case, index: int,
                    numerical: bool = True) -> str | None:
    name = layer.grad_names[index]
    _check_gradient_shapes(session, layer, case, only=index)
    got = _backward(session, layer, case)[0][index]
    expected = _expected(session, layer, case).grads[index]
    against_reference = compare_arrays(name, expected, got)
    if not numerical:
        if against_reference:
            raise CheckFailed.from_mismatch(f"{case.label()}: {against_reference.describe()}", against_reference)
        return None
    indices, numerical = _numerical(session, layer, case, index)
    against_numerical = _compare_at(name, numerical, got, indices)
    coverage = None if len(indices) == got.size else \
        f"checked {len(indices)} of {got.size} elements numerically (time budget)"
    if against_reference is None:
        if against_numerical is not None:
            return "matches the reference, but not the numerical gradient of your forward (fix forward values)"
        return coverage
    if against_numerical is None:
        raise CheckFailed.from_mismatch(
            f"{case.label()}: {name} agrees with the numerical gradient of your forward, "
            f"but your forward is wrong, so {name} is too: {against_reference.describe()}", against_reference)
    raise CheckFailed.from_mismatch(f"{case.label()}: {against_reference.describe()}", against_reference)


def _check_edge(session: Session, layer: Layer, edge: Edge) -> None:
    try:
        _check_values(session, layer, edge.case)
        for index in range(len(layer.inputs) if edge.gradients != "none" else 0):
            _check_gradient(session, layer, edge.case, index, numerical=edge.gradients == "numerical")
    except CheckFailed as failure:
        raise CheckFailed(f"{edge.why}: {failure}" if edge.why else str(failure),
                          failure.error_map, failure.map_title) from None


def _check_not_modified(session: Session, layer: Layer, case: Case) -> None:
    forward = _forward(session, layer, case)
    if forward.modified:
        raise CheckFailed(f"{case.label()}: {layer.forward} modified its input "
                          f"{', '.join(forward.modified)} in place")
    _, dout_modified = _backward(session, layer, case)
    if dout_modified:
        raise CheckFailed(f"{case.label()}: {layer.backward} modified dout in place")


def _check_deterministic(session: Session, layer: Layer, case: Case) -> None:
    first, second = _forward(session, layer, case), _forward(session, layer, case, repeat=1)
    if not same_outputs(first.out, second.out):
        raise CheckFailed(f"{case.label()}: {layer.forward} gave different outputs for the same inputs")
    first_grads, _ = _backward(session, layer, case)
    second_grads, _ = _backward(session, layer, case, repeat=1)
    for name, a, b in zip(layer.grad_names, first_grads, second_grads):
        if not same_outputs(a, b):
            raise CheckFailed(f"{case.label()}: {layer.backward} gave a different {name} for the same inputs")


# -- known mistakes -----------------------------------------------------------

def layer_mistake(layer: Layer, name: str, explanation: str,
                  forward: Callable | None = None, backward: Callable | None = None) -> KnownMistake:
    """A known mistake of a layer kata, given as a buggy copy of the reference.

    `forward(*arrays, **params) -> (out, cache)` and/or `backward(dout, cache)`
    (taking the reference forward's cache) compute what the mistake computes.
    The learner's code matches the mistake when, on every configuration it
    ran, its outputs agree with the mistake's, and on at least one the
    mistake differs from the reference.
    """
    def detect(session: Session) -> bool:
        telling = False
        for case in layer.cases + tuple(edge.case for edge in layer.edges):
            arrays = _inputs(session, case)
            expected = _expected(session, layer, case)
            try:
                learned = _forward(session, layer, case)
                grads = _backward(session, layer, case)[0] if backward is not None else ()
            except (CheckFailed, LearnerError):
                continue  # this case fails some other way; judge by the others
            pairs = []
            if forward is not None:
                pairs.append((forward(*copy.deepcopy(tuple(arrays.values())), **copy.deepcopy(case.params))[0],
                               learned.out, expected.out))
            if backward is not None:
                _, cache = session.reference_call(layer.forward, *arrays.values(), **case.params)
                wrong = backward(expected.dout.copy(), cache)
                wrong = (wrong,) if len(layer.inputs) == 1 else tuple(wrong)
                pairs.extend(zip(wrong, grads, expected.grads))
            for mistaken, got, right in pairs:
                if np.shape(mistaken) != np.shape(got) or not same_outputs(mistaken, got):
                    return False
                telling = telling or np.shape(mistaken) != np.shape(right) or not same_outputs(mistaken, right)
        return telling
    return KnownMistake(name, explanation, detect)


# -- speed --------------------------------------------------------------------

def _measure_speed(session: Session, layer: Layer, case: Case) -> Speed:
    arrays = tuple(_inputs(session, case).values())
    stored = [session.learner.put(array, name) for name, array in zip(layer.inputs, arrays)]
    return measure_speed(
        session, f"{layer.forward} + {layer.backward} on {case.label()}",
        reference_pass(session.reference, layer.forward, layer.backward, *arrays, **case.params),
        lambda: learner_pass(session, layer.forward, layer.backward, *stored, **case.params))


# -- helpers ------------------------------------------------------------------

def _compare_at(name: str, numerical: np.ndarray, got: np.ndarray, indices: np.ndarray) -> Mismatch | None:
    """Compare analytic `got` with numerical values at flat `indices`, reporting full indices."""
    if len(indices) == got.size:
        return compare_arrays(name, numerical.reshape(got.shape), got)
    mismatch = compare_arrays(name, numerical, got.reshape(-1)[indices])
    if mismatch is None:
        return None
    index = np.unravel_index(indices[mismatch.index[0]], got.shape)
    return Mismatch(name, tuple(int(i) for i in index), mismatch.expected, mismatch.got,
                    mismatch.n_off, mismatch.n_total, mismatch.error)


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(str(n) for n in shape) if shape else "scalar"
