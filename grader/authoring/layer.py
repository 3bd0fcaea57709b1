"""Checks for forward/backward layer katas, built from a declarative `Layer`.

A layer kata has `forward(*arrays, **params) -> (out, cache)` and `backward(dout, cache) -> (d<array> for
each array)`; a layer with several outputs (an LSTM cell's next_h and next_c: `Layer.outputs`) has
`forward(...) -> (*outputs, cache)` and `backward(*d<output>, cache)`. `layer_checks` builds the standard rows
from the cases in a `Layer` (`layer_kata`, the kata):

    shape      forward output shape, backward gradient shapes
    value      forward values
    gradient   one row per input (dx, dw, db): against the reference backward
               and against numerical gradients of the learner's own forward
    edge       one row per edge case: all of the above on that case
    behaviour  deterministic; inputs not modified (by any call of any row)

Every learner call for a case runs once and is shared by the rows (Session.memo). A row that fails looks
at every configuration, edge cases included, to say what the failing ones share ("only where stride > 1":
grader.checks.contrast) and what a constant ratio between got and expected is ("1/N") in all of them; a
row that needs a shape the forward got wrong is skipped with a pointer to it.
"""
from __future__ import annotations

import copy
import dataclasses
import inspect
import functools
import itertools
import math
from collections import namedtuple
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader.checks.compare import agree, compare_arrays, input_scale, same_outputs
from grader.checks.contrast import Feature, confined_to, confinement_note
from grader.checks.session import Session
from grader.checks.gradcheck import STEP, central_difference
from grader.checks.gradients import Numerical, judge_gradient
from grader.checks.mistakes import matches
from grader.sandbox.process import LearnerError
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake, NotRun
from grader.checks.results import GROUPS, Speed
from grader.checks.returns import expect_array, expect_clean, expect_raises, expect_same, expect_tuple
from grader.checks.speed import learner_pass, measure_speed, reference_pass

#: Fewest elements a numerical gradient checks, however slow the learner's forward.
MIN_CHECKED_ELEMENTS = 24
_FIRST_BATCH = 8
#: One request for all of a case's elements only when one forward's time says they fit this many times over.
_ROOM = 3
#: A forward's first call in a run pays for cold caches (~0.5 ms more on a small case, 2-4x its time): where
#: that call alone says the elements do not fit, by at most this factor, the forward is timed once more.
_COLD = 5


@dataclass(frozen=True)
class Case:
    """One configuration: the array inputs' shapes and the keyword parameters.

    Inputs are float64 draws from N(0, 1) seeded by the kata and the case name, unless `make` builds them
    (to keep away from kinks and ties, say).
    """

    name: str
    shapes: dict[str, tuple[int, ...]]
    params: dict[str, object] = field(default_factory=dict)
    make: Callable[[np.random.Generator, dict], dict[str, np.ndarray]] | None = None

    def label(self) -> str:
        return _label(self.name, tuple((array, tuple(shape)) for array, shape in self.shapes.items()))


@functools.lru_cache(maxsize=None)
def _label(name: str, shapes: tuple[tuple[str, tuple[int, ...]], ...]) -> str:
    """A case's label (asked for hundreds of times a run, as memo keys: worked out once per case)."""
    listed = ", ".join(f"{array} {'x'.join(map(str, shape)) or 'scalar'}" for array, shape in shapes)
    return f"{name} [{listed}]"


@dataclass(frozen=True)
class Edge:
    """An edge case: a case with a name and the rule it probes.

    `gradients` says how backward is checked there: "numerical" (against the reference and numerical
    gradients), "reference" (only against the reference: for inputs with ties, where the function has a
    kink), or "none" (forward only: for inputs where central differences are not accurate enough, such as
    a 1e6 offset). `why` heads the row's message when the edge fails where the ordinary cases pass: the
    rule it probes. With `clean` (how to make it stable), the forward's out must be finite and the call
    free of warnings (sigmoid at +-1000). With `raises` ("ValueError"), the forward must raise that on the
    case instead (num_heads not dividing D), and `why` says what is wrong with the case.
    """

    name: str
    case: Case
    why: str = ""
    gradients: str = "numerical"
    clean: str = ""
    raises: str = ""

    def __post_init__(self) -> None:
        if self.gradients not in ("numerical", "reference", "none"):
            raise ValueError(f"edge {self.name!r}: gradients must be 'numerical', 'reference' or 'none'")


@dataclass(frozen=True)
class Layer:
    """A forward/backward kata, declaratively.

    Attributes:
        forward, backward: the learner's function names.
        inputs: names of forward's array arguments in call order ("x", "w", "b"); backward returns their
            gradients in the same order.
        constants: forward's array arguments that nothing is differentiated by (token ids): in each
            Case's shapes, in call order among the inputs; backward returns no gradient for them.
        cases: configurations for the shape, value, gradient and behaviour rows.
        edges: edge cases, one row each.
        speed_case: a larger case for the speed line.
        dims: the axes' names of an input or of "out", space-separated ({"x": "N C H W", "out": "N F H' W'"};
            "... T D" names the last axes of an array of any rank): a constant ratio between got and expected is
            named from them ("1/N") and a failure confined to configurations where one has a value ("N = 1")
            is said so.
        features: further properties of a configuration a failure may be confined to ("windows overlap"; see
            window_features); the parameters and named axes are added by themselves. Features see each case with
            the parameters it leaves out at the defaults of the reference's forward.
        backward_twice: whether backward must give the same gradients when called again with the same cache
            (the contract's "every backward returns fresh arrays": one that changes its cache in place fails),
            judged in the deterministic row.
        derived: quantities a constant ratio may also be named after, from the case's named axes and numeric
            parameters ({"N": 4, "alpha": 8.0, "r": 2} -> {"alpha/r": 4.0}; multihead_attention's head size).
        outputs: the names of forward's outputs, before the cache: ("out",), or several (("next_h", "next_c"),
            an LSTM cell), when forward returns (*outputs, cache) and backward takes one upstream gradient per
            output, (*douts, cache). Each output is shaped and valued on its own; the numerical gradients are
            of sum(output * dout) over all of them; "out" in `dims` names the first one's axes.
    """

    forward: str
    backward: str
    inputs: tuple[str, ...]
    cases: tuple[Case, ...]
    edges: tuple[Edge, ...] = ()
    speed_case: Case | None = None
    dims: dict[str, str] = field(default_factory=dict)
    features: tuple[Feature, ...] = ()
    constants: tuple[str, ...] = ()
    backward_twice: bool = False
    derived: Callable[[dict[str, float]], dict[str, float]] | None = None
    outputs: tuple[str, ...] = ("out",)

    @property
    def grad_names(self) -> tuple[str, ...]:
        return tuple(f"d{name}" for name in self.inputs)

    @property
    def graded_edges(self) -> tuple[Edge, ...]:
        """The edges whose case is graded like the ordinary ones (not those that must raise)."""
        return tuple(edge for edge in self.edges if not edge.raises)

    @functools.cached_property
    def gradient_elements(self) -> int:
        """How many input elements all numerical gradients would perturb, every case included (asked at every
        gradient row, so worked out once)."""
        cases = self.cases + tuple(edge.case for edge in self.graded_edges if edge.gradients == "numerical")
        return sum(math.prod(case.shapes[name]) for case in cases for name in self.inputs)

    def named_axes(self, name: str, shape: tuple[int, ...]) -> list[tuple[str, int]]:
        """(axis name, size) for the named axes of array `name` of this shape: its first axes, or with "..."
        first, its last."""
        names = self.dims.get(name, "").split()
        if names[:1] == ["..."]:
            names = names[1:]
            return list(zip(names[::-1], tuple(shape)[::-1]))[::-1]
        return list(zip(names, shape))

    def axis_sizes(self, case: Case, out_shape: tuple[int, ...] = ()) -> dict[str, int]:
        """{axis name: size} of the named axes of the case's inputs, then of out ('N': 2, 'HH': 3)."""
        sizes: dict[str, int] = {}
        for name, shape in {**case.shapes, "out": out_shape}.items():
            for axis, size in self.named_axes(name, shape):
                sizes.setdefault(axis, int(size))
        return sizes

    def all_features(self) -> tuple[Feature, ...]:
        """The declared features, then each numeric parameter a case sets and each named axis of the inputs.
        They are evaluated on the cases with the forward's defaults filled in (_with_defaults), so that a case
        leaving a parameter at its default has its value: declared features may read case.params[key] too."""
        params = {key for case in self.cases for key, value in case.params.items()
                  if isinstance(value, (int, float)) and not isinstance(value, bool)}
        axes = {axis for name in self.inputs + self.constants
                for axis in self.dims.get(name, "").split() if axis != "..."}
        automatic = [Feature(key, lambda case, key=key: case.params[key], declared=False) for key in sorted(params)]
        automatic += [Feature(axis, lambda case, axis=axis: self.axis_sizes(case)[axis], declared=False,
                              special_only=True) for axis in sorted(axes)]
        return self.features + tuple(automatic)


def window_features(window: Callable[[Case], tuple[int, int]]) -> tuple[Feature, ...]:
    """Features of a layer sliding windows over the last two axes of x (N, C, H, W): a non-square input or
    output, rows or columns no window reaches. `window(case)` is a window's (rows, columns); the case's
    params give the "stride" and the zero padding, "pad" (0 when absent)."""
    def spans(case: Case) -> list[int]:  # H + 2*pad - rows and W + 2*pad - columns: what the windows step over
        pad = case.params.get("pad", 0)
        return [size + 2 * pad - extent for size, extent in zip(case.shapes["x"][2:], window(case))]
    return (
        Feature("the input is not square (H != W)", lambda case: case.shapes["x"][2] != case.shapes["x"][3],
                negation="the input is square (H = W)"),
        Feature("the output is not square (H' != W')",
                lambda case: spans(case)[0] // case.params["stride"] != spans(case)[1] // case.params["stride"],
                negation="the output is square (H' = W')"),
        Feature("the stride leaves rows or columns that no window reaches",
                lambda case: any(span % case.params["stride"] != 0 for span in spans(case)),
                negation="the windows reach every row and column"),
    )


def layer_checks(layer: Layer, prefix: str = "") -> tuple[Check, ...]:
    """The standard rows for a layer kata, in scorecard order; `prefix` starts every row's name, for katas
    with several layers (e.g. "relu " in activations: "relu forward values")."""
    shape, gradient_shapes = prefix + "forward output shape", prefix + "backward gradient shapes"
    return (
        Check(shape, "shape", _row(layer, _SHAPE)),
        Check(gradient_shapes, "shape", _row(layer, _GRADIENT_SHAPES), needs=(shape,)),
        Check(prefix + "forward values", "value", _row(layer, _VALUES), needs=(shape,)),
        # each gradient's row runs where its own gradient has the right shape
        *(Check(f"{prefix}gradient {grad}", "gradient", _row(layer, index, skip_unless=gradient_shapes),
                needs=(shape,)) for index, grad in enumerate(layer.grad_names)),
        *(Check(prefix + edge.name, "edge", _edge_row(layer, edge, gradient_shapes),
                needs=() if edge.raises else (shape,)) for edge in layer.edges),
        Check(prefix + "inputs not modified", "behaviour", lambda s: _check_not_modified(s, layer),
              needs=(shape,), runs_last=True),
        Check(prefix + "deterministic", "behaviour", lambda s: _check_deterministic(s, layer), needs=(shape,)),
    )


def layer_speed(*layers: Layer, workload: str = "") -> Callable[[Session], Speed]:
    """The speed line: one forward+backward of each layer on the first one's `speed_case` arrays, learner vs
    reference (several layers: the activations, on one x), each with its own speed_case's parameters if it has
    one (gelu's approximate is not silu's)."""
    def measure(session: Session) -> Speed:
        case = layers[0].speed_case
        arrays = tuple(_inputs(session, case).values())
        stored = [session.learner.put(array, name) for name, array in zip(case.shapes, arrays)]
        params = [(layer.speed_case or case).params for layer in layers]
        runs = [reference_pass(session.reference, layer.forward, layer.backward, *arrays, **each)
                for layer, each in zip(layers, params)]
        return measure_speed(
            session, workload or f"{layers[0].forward} + {layers[0].backward} on {case.label()}",
            lambda: [run() for run in runs],
            lambda: sum(learner_pass(session, layer.forward, layer.backward, *stored, **each)
                        for layer, each in zip(layers, params)))
    return measure


def layer_kata(*layers: Layer, name: str, title: str, hints: tuple[str, ...], mistakes: tuple[KnownMistake, ...],
               extra: tuple[Check, ...] = (), workload: str = "",
               speed: Callable[[Session], Speed] | None = None) -> Kata:
    """The kata of one layer, or of several (activations), with its own `extra` rows: the standard rows
    and the speed line. Several layers' rows are named after each ("relu forward values") and merged
    group by group, in the layers' order. `speed` replaces the speed line (layer_speed of some of the layers:
    those whose inputs differ from the first's, or with several outputs, which the timed pass cannot run)."""
    rows = [row for layer in layers
            for row in layer_checks(layer, f"{layer.forward.removesuffix('_forward')} " if len(layers) > 1 else "")]
    functions = tuple(function for layer in layers for function in (layer.forward, layer.backward))
    return Kata(name=name, title=title, functions=functions, hints=hints, mistakes=mistakes,
                checks=tuple(sorted(rows + list(extra), key=lambda check: GROUPS.index(check.group))),
                speed=speed or layer_speed(*layers, workload=workload))


# -- running one case ---------------------------------------------------------
#: The reference's answers on a case: out, the gradients for dout, and the agreement rule's s (the largest
#: magnitude among the inputs and dout); what the learner's forward gave, with the seconds it took. `outs` and
#: `douts` hold every output and its upstream gradient (Layer.outputs), `out` and `dout` the first's.
_Expected = namedtuple("_Expected", "out grads dout scale outs douts")
_Forward = namedtuple("_Forward", "out cache seconds warnings outs")


def _inputs(session: Session, case: Case) -> dict[str, np.ndarray]:
    rng = session.rng("inputs", case.label())
    if case.make is not None:
        return case.make(rng, case.shapes)
    return {name: rng.standard_normal(shape) for name, shape in case.shapes.items()}


def _gradients(layer: Layer, returned: object) -> tuple:
    """backward's gradients as a tuple: with one input it returns the gradient itself (dx), not a 1-tuple."""
    return (returned,) if len(layer.inputs) == 1 else expect_tuple(returned, layer.backward, layer.grad_names)


def _expected(session: Session, layer: Layer, case: Case, dout_key: str = "dout") -> _Expected:
    """The reference's answers, for the upstream gradient drawn under `dout_key`."""
    def compute() -> _Expected:
        arrays = _inputs(session, case)
        *outs, cache = session.reference_call(layer.forward, *arrays.values(), **case.params)
        # dout is drawn independently of the inputs (a dout correlated with x can hide a wrong backward).
        rng = session.rng(dout_key, case.label())
        douts = [rng.standard_normal(out.shape) for out in outs]
        grads = _gradients(layer, getattr(session.reference, layer.backward)(*(d.copy() for d in douts), cache))
        return _Expected(outs[0], grads, douts[0], input_scale(*arrays.values(), *douts), tuple(outs), tuple(douts))
    return session.memo(("expected", layer.forward, case.label(), dout_key), compute)


def _forward(session: Session, layer: Layer, case: Case, repeat: int = 0) -> _Forward:
    def compute() -> _Forward:
        with session.about(case.label()):
            returned = session.call(layer.forward, *_inputs(session, case).values(),
                                    send=tuple(range(len(layer.outputs))), **case.params)
        outs = expect_tuple(returned.value, layer.forward, (*layer.outputs, "cache"))[:len(layer.outputs)]
        for out, name in zip(outs, layer.outputs):
            expect_array(out, f"{layer.forward}'s {name}")
        return _Forward(outs[0], returned.ref[len(layer.outputs)], returned.seconds, tuple(returned.warnings),
                        tuple(outs))
    return session.memo(("forward", layer.forward, case.label(), repeat), compute)


def _backward(session: Session, layer: Layer, case: Case, repeat: int = 0, dout_key: str = "dout",
              again: bool = False) -> tuple:
    """The learner's gradients for `case`, backward given its own forward's cache (`again`: a second call of
    backward with the same cache)."""
    def compute():
        expected = _expected(session, layer, case, dout_key)
        forward = _forward(session, layer, case, repeat)
        for got, right, name in zip(forward.outs, expected.outs, layer.outputs):
            if got.shape != right.shape:
                raise CheckFailed(f"{case.label()}: cannot run {layer.backward}: {layer.forward}'s {name} has shape "
                                  f"{got.shape}, expected {right.shape} (fix the forward first)")
        with session.about(case.label() if dout_key == "dout" else f"{case.label()}, {dout_key}"):
            returned = session.call(layer.backward, *expected.douts, forward.cache)
        grads = _gradients(layer, returned.value)
        for grad, name in zip(grads, layer.grad_names):
            expect_array(grad, name)
        return grads
    return session.memo(("backward", layer.forward, case.label(), repeat, dout_key, again), compute)


def _ran(session: Session, layer: Layer, case: Case, repeat: int = 0) -> tuple[np.ndarray, ...] | None:
    """The learner's gradients, or None where backward failed (the gradient rows say why); a failure that
    stops every row (the process is gone, or a stub) is raised."""
    try:
        return _backward(session, layer, case, repeat)
    except (CheckFailed, LearnerError) as error:
        if isinstance(error, LearnerError) and error.stops_the_row:
            raise
        return None


def _numerical(session: Session, layer: Layer, case: Case, index: int) -> Numerical:
    """Numerical gradient of the learner's forward w.r.t. input `index`: every input's every element from one request,
    when one forward of the learner's says they fit the time budget _ROOM times over (on small cases a round trip to the
    learner's process, and its twin, costs more than forwards; a first call that says they do not, by at most _COLD
    times, is checked against a second, its caches warm); else a deterministic random sample the budget affords
    (the row's note says how many), the cost per element measured on a first small batch so that one slow first call (a
    cold cache, an import) does not shrink it."""
    def every_input() -> tuple[Numerical, ...] | None:
        arrays = _inputs(session, case)
        sizes = [arrays[name].size for name in layer.inputs]
        allowance = sum(session.gradient_budget.allowance(size, layer.gradient_elements) for size in sizes)
        elements = sum(sizes) * _ROOM  # what one request must be able to afford, in elements' differences
        try:
            per_element = 2 * _forward(session, layer, case).seconds  # two forwards per central difference
            if allowance < elements * per_element <= allowance * _COLD:
                with session.about(case.label()):
                    again = session.call(layer.forward, *arrays.values(), send=(), watch_inputs=False, **case.params)
                per_element = min(per_element, 2 * again.seconds)
        except (CheckFailed, LearnerError):
            return None  # the rows say what is wrong with the forward; measure elsewhere
        if elements * per_element > allowance:
            return None
        points = [(_position(arrays, name), element) for name, size in zip(layer.inputs, sizes)
                  for element in range(size)]
        values, seconds = _differences(session, layer, case, points)
        for size in sizes:
            session.gradient_budget.spend(seconds * size / sum(sizes), size)
        return tuple(map(Numerical.everywhere, np.split(values, np.cumsum(sizes)[:-1])))

    def sampled() -> Numerical:
        arrays = _inputs(session, case)
        size, position = arrays[layer.inputs[index]].size, _position(arrays, layer.inputs[index])
        order = session.rng("sample", case.label(), index).permutation(size)
        allowance = session.gradient_budget.allowance(size, layer.gradient_elements)
        done, values, spent, batch = 0, [], 0.0, min(size, _FIRST_BATCH)
        while batch > 0:
            points = [(position, int(element)) for element in order[done:done + batch]]
            differences, seconds = _differences(session, layer, case, points)
            values.append(differences)
            done, spent, rate = done + batch, spent + seconds, seconds / batch
            # Then as many as the rest of the allowance affords at the latest batch's rate, and at least
            # MIN_CHECKED_ELEMENTS in all.
            batch = max(min(size - done, int((allowance - spent) / max(rate, 1e-9))),
                        min(size, MIN_CHECKED_ELEMENTS) - done)
        session.gradient_budget.spend(spent, size)
        ranks = np.argsort(order[:done])
        return Numerical(order[:done][ranks], np.concatenate(values)[ranks])
    at_once = session.memo(("numerical, every input", layer.forward, case.label()), every_input)
    if at_once is not None:
        return at_once[index]
    return session.memo(("numerical", layer.forward, case.label(), index), sampled)


def _position(arrays: dict, name: str) -> int:
    """Where the array `name` is among forward's positional arguments (the inputs and the constants)."""
    return list(arrays).index(name)


def _differences(session: Session, layer: Layer, case: Case, points: list) -> tuple[np.ndarray, float]:
    """Central differences of the learner's forward at `points`, each (input, flat element), and the
    learner's time; refused unless out has the reference's shape."""
    expected, total, seconds = _expected(session, layer, case), 0.0, 0.0
    for item, (name, right, dout) in enumerate(zip(layer.outputs, expected.outs, expected.douts)):
        with session.about(f"{case.label()}, at inputs moved for numerical gradients"):
            outputs, spent = session.learner.perturbed_outputs_at(
                layer.forward, tuple(_inputs(session, case).values()), case.params, points, STEP, item=item)
        if outputs.shape[2:] != right.shape:
            raise CheckFailed(f"{case.label()}: {layer.forward}'s {name} has shape {outputs.shape[2:]}, "
                              f"expected {right.shape}")
        total, seconds = total + central_difference(outputs, dout, STEP), seconds + spent
    return total, seconds


# -- what one configuration says about one kind of check -------------------------
# A kind is what a row checks: the output's shape, the gradients' shapes, the values, or one gradient (its
# index). Each row judges its kind on the layer's cases; when it fails it also judges every edge case, to
# say what the failing ones share.
_SHAPE, _GRADIENT_SHAPES, _VALUES = "output shape", "gradient shapes", "values"


def _verdict(session: Session, layer: Layer, kind: str | int, case: Case) -> tuple:
    """(note, None) when `kind` passes on the configuration, (None, the failure) when not; once each."""
    key = ("verdict", layer.forward, kind, case.label())
    try:
        return session.memo(key, lambda: _check(session, layer, kind, case)), None
    except (CheckFailed, LearnerError) as failure:
        if isinstance(failure, LearnerError) and failure.fatal:
            raise
        return None, failure


def _report(session: Session, layer: Layer, kind: str | int, case: Case, failure: Exception, why: str = ""):
    """The failure to show for `kind` on `case`: its message, with the configuration named, a constant
    ratio named as every failing configuration allows, and what the failing configurations share. `why`
    (an edge's rule) heads it when the ordinary cases pass this kind."""
    if isinstance(failure, LearnerError) and (failure.fatal or failure.kind in ("not_started", "missing")):
        return failure  # one cause for every configuration: saying which adds nothing
    # The cases, then the edges' where `kind` is checked (their shape and values only where gradients="none").
    configurations = list(layer.cases) + [edge.case for edge in layer.graded_edges
                                          if kind in (_SHAPE, _VALUES) or edge.gradients != "none"]
    errors = [_verdict(session, layer, kind, configuration)[1] for configuration in configurations]
    failed = [error is not None for error in errors]
    cases_fail = any(failed[:len(layer.cases)])
    predicate = confined_to(layer.all_features(), [_with_defaults(session, layer, each) for each in configurations],
                            failed)
    note = confinement_note(predicate, sum(failed), len(failed)) if cases_fail or predicate else ""
    lead = f"{why}: " if why and not cases_fail else ""
    if isinstance(failure, LearnerError):  # its summary names the configuration (Session.about)
        return LearnerError(failure.kind, f"{lead}{failure.summary}{note}", failure.location,
                            exception_type=failure.exception_type, exception_bases=failure.exception_bases)
    if failure.mismatch is not None and failure.mismatch.ratio is not None:
        # A constant ratio is named only after the quantities it is a power of in every failing configuration
        # that shows one, this one among them.
        names = [{entry.split(", ")[1].split(" = ")[0] for entry in error.mismatch.ratio_names} for error in errors
                 if getattr(error, "mismatch", None) is not None and error.mismatch.ratio is not None]
        try:
            _check(session, layer, kind, case, names=set.intersection(*names))
        except CheckFailed as renamed:
            failure = renamed
    return CheckFailed(f"{lead}{failure}{note}", failure.error_map, failure.map_title, failure.mismatch)


def _row(layer: Layer, kind: str | int, skip_unless: str = ""):
    """A row's run(): check `kind` on every case; report the first failure, and what the failing share.
    With `skip_unless` (a gradient's row), a case where backward did not run or gave this gradient the
    wrong shape skips the row: the row named there says what is wrong."""
    def run(session: Session) -> str | None:
        notes: dict[str, list[str]] = {}   # note -> the cases it applies to
        for case in layer.cases:
            if skip_unless:
                grads = _ran(session, layer, case)
                if grads is None or grads[kind].shape != tuple(case.shapes[layer.inputs[kind]]):
                    raise NotRun(f"not run: fix '{skip_unless}' first")
            note, failure = _verdict(session, layer, kind, case)
            if failure is not None:
                raise _report(session, layer, kind, case, failure)
            if note:
                notes.setdefault(note, []).append(case.name)
        return "; ".join(f"{'; '.join(names)}: {note}" for note, names in notes.items()) or None
    return run


def _edge_row(layer: Layer, edge: Edge, gradient_shapes: str):
    """An edge's run(): its shape, values and gradients, the first failure reported; skipped at its
    gradients when backward's shapes are already wrong on the ordinary cases (the row `gradient_shapes`)."""
    def run(session: Session) -> None:
        if edge.raises:
            arrays = _inputs(session, edge.case)
            expect_raises(lambda: session.call(layer.forward, *arrays.values(), send=(), **edge.case.params),
                          edge.raises, f"{edge.case.label()}: {edge.why}" if edge.why else edge.case.label(),
                          f"{layer.forward} returned normally")
            return
        kinds = [_SHAPE, _VALUES] + ([_GRADIENT_SHAPES, *range(len(layer.inputs))] if edge.gradients != "none" else [])
        for kind in kinds:
            if kind == _VALUES and edge.clean:
                forward = _forward(session, layer, edge.case)
                expect_clean(list(forward.warnings), dict(zip(layer.outputs, forward.outs)),
                             f"{layer.forward} on {edge.case.label()}",
                             edge.clean, _inputs(session, edge.case))
            _, failure = _verdict(session, layer, kind, edge.case)
            if failure is None:
                continue
            if kind not in (_SHAPE, _VALUES) and any(
                    _verdict(session, layer, _GRADIENT_SHAPES, case)[1] is not None for case in layer.cases):
                raise NotRun(f"not run: fix '{gradient_shapes}' first")
            raise _report(session, layer, kind, edge.case, failure, why=edge.why)
    return run


def _with_defaults(session: Session, layer: Layer, case: Case) -> Case:
    """The case with the parameters it leaves out at the defaults of the reference's forward (a case that
    calls avgpool_forward(x) alone has stride 2): what features and quantities read from case.params."""
    try:
        parameters = inspect.signature(getattr(session.reference, layer.forward)).parameters.values()
    except (AttributeError, TypeError, ValueError):
        return case
    defaults = {parameter.name: parameter.default for parameter in parameters
                if parameter.default is not inspect.Parameter.empty}
    missing = {key: value for key, value in defaults.items() if key not in case.params}
    return dataclasses.replace(case, params={**case.params, **missing}) if missing else case


def _quantities(layer: Layer, case: Case, out_shape: tuple[int, ...], names=None) -> dict[str, float]:
    """What a constant ratio may be named after: the named axes of the inputs and of out, products of
    several axes of out and of the first input (N*H'*W'), and the numeric parameters (the case's, defaults
    filled in: see _with_defaults)."""
    singles, products = layer.axis_sizes(case, out_shape), {}
    for array, shape in (("out", out_shape), (layer.inputs[0], case.shapes[layer.inputs[0]])):
        axes = layer.named_axes(array, shape)
        for count in range(2, len(axes) + 1):
            for group in itertools.combinations(axes, count):
                products.setdefault("*".join(name for name, _ in group), math.prod(size for _, size in group))
    params = {key: value for key, value in case.params.items()
              if isinstance(value, (int, float)) and not isinstance(value, bool)}
    found = {**singles, **products, **params}
    found.update(layer.derived(found) if layer.derived else {})
    return found if names is None else {name: value for name, value in found.items() if name in names}


# -- the checks of one configuration ----------------------------------------------
def _check(session: Session, layer: Layer, kind: str | int, case: Case, names=None) -> str | None:
    """Check `kind` on one configuration: a note on a pass, CheckFailed or LearnerError on a failure.
    `names`, when given, limits the quantities a constant ratio may be named after (see _report)."""
    if kind == _GRADIENT_SHAPES:
        return _check_gradient_shapes(session, layer, case)
    if isinstance(kind, int):
        return _check_gradient(session, layer, case, kind, names)
    expected, outs = _expected(session, layer, case), _forward(session, layer, case).outs
    for got, right, name in zip(outs, expected.outs, layer.outputs):
        if got.shape != right.shape:
            raise CheckFailed(f"{case.label()}: {name} has shape {got.shape}, expected {right.shape}")
    if kind != _VALUES:
        return None
    for item, (got, right, name) in enumerate(zip(outs, expected.outs, layer.outputs)):
        if mismatch := compare_arrays(name, right, got, expected.scale, lambda: _quantities(
                layer, _with_defaults(session, layer, case), expected.out.shape, names)):
            term = _additive_term(_inputs(session, case), right, got, expected.scale, name)
            with suppress(CheckFailed, LearnerError):  # a forward that is not deterministic is the likelier cause
                again = _forward(session, layer, case, repeat=1).outs[item]
                if again.shape == got.shape and not same_outputs(got, again):
                    term += ("; a second call with the same inputs gives other values (random numbers in your "
                             "forward?)")
            raise CheckFailed.from_mismatch(f"{case.label()}: {mismatch.describe()}{term}", mismatch)
    return None


def _check_gradient_shapes(session: Session, layer: Layer, case: Case, only: int | None = None) -> None:
    """Each gradient has its input's shape (with `only`, just that gradient)."""
    grads = _backward(session, layer, case)
    for index, (grad, name, array_name) in enumerate(zip(grads, layer.grad_names, layer.inputs)):
        expected = tuple(case.shapes[array_name])
        if only in (None, index) and grad.shape != expected:
            others = [other for other in layer.inputs if tuple(case.shapes[other]) == grad.shape]
            order = (f"; that is the shape of {others[0]}: return the gradients in the order "
                     f"({', '.join(layer.grad_names)})") if others else ""
            raise CheckFailed(f"{case.label()}: {name} has shape {grad.shape}, expected {expected} "
                              f"(the shape of {array_name}){order}")


def _additive_term(arrays: dict[str, np.ndarray], expected: np.ndarray, got: np.ndarray, scale: float,
                   output: str = "out") -> str:
    """'; out - expected is -b along axis 1: is b missing?' when got differs from expected by exactly
    one 1-D input (a bias, a shift) broadcast along an axis of out (the output named `output`), added or left
    out; else ''."""
    difference = got - expected
    for name, array in arrays.items():
        if array.ndim != 1 or not np.any(array):
            continue
        for axis in [axis for axis, size in enumerate(expected.shape) if size == array.size]:
            shaped = array.reshape([-1 if a == axis else 1 for a in range(expected.ndim)])
            for sign, what in ((-1.0, f"is {name} missing?"), (1.0, f"is {name} added twice?")):
                if agree(sign * np.broadcast_to(shaped, expected.shape), difference, scale):
                    return f"; {output} - expected is {'-' if sign < 0 else '+'}{name} along axis {axis}: {what}"
    return ""


def _check_gradient(session: Session, layer: Layer, case: Case, index: int, names=None) -> str | None:
    name = layer.grad_names[index]
    _check_gradient_shapes(session, layer, case, only=index)
    got = _backward(session, layer, case)[index]
    expected = _expected(session, layer, case)
    quantities = lambda: _quantities(  # noqa: E731 -- only on a mismatch
        layer, _with_defaults(session, layer, case), expected.out.shape, names)
    if any(edge.case is case and edge.gradients == "reference" for edge in layer.edges):  # ties, a kink
        if mismatch := compare_arrays(name, expected.grads[index], got, expected.scale, quantities):
            raise CheckFailed.from_mismatch(f"{case.label()}: {mismatch.describe()}", mismatch)
        return None
    outs = _forward(session, layer, case).outs
    out = outs[0]
    note = judge_gradient(name, got, expected.grads[index], _numerical(session, layer, case, index),
                          forward_right=all(got_out.shape == right.shape and agree(right, got_out, expected.scale)
                                            for got_out, right in zip(outs, expected.outs)), label=case.label(),
                          scale=expected.scale, quantities=quantities,
                          computed_in="" if out.dtype == np.float64 else str(out.dtype))
    if case is not layer.cases[0]:
        return note
    # A second, independent dout (after a fresh forward), on one configuration: a backward that returns
    # remembered gradients, or ignores dout, is right only for the first.
    got = _backward(session, layer, case, repeat=2, dout_key="another dout")[index]
    right = _expected(session, layer, case, "another dout")
    if got.shape != right.grads[index].shape:
        raise CheckFailed(f"{case.label()}, another dout: {name} has shape {got.shape}, expected "
                          f"{right.grads[index].shape}")
    if mismatch := compare_arrays(name, right.grads[index], got, right.scale):
        raise CheckFailed.from_mismatch(
            f"{case.label()}: with a second dout, {mismatch.describe()}: your backward is right for the first "
            f"dout only (does it remember an earlier answer, or not use the dout it is given?)", mismatch)
    return note


def _check_deterministic(session: Session, layer: Layer) -> str | None:
    """Every case run twice gives the same out and, where backward runs, the same gradients."""
    unchecked = []
    for case in layer.cases:
        first, second = _forward(session, layer, case), _forward(session, layer, case, repeat=1)
        expect_same(dict(zip(layer.outputs, first.outs)), dict(zip(layer.outputs, second.outs)),
                    f"{case.label()}: {layer.forward}")
        first_grads = _ran(session, layer, case)
        if first_grads is None:
            unchecked.append(case.name)  # the gradient rows say why; nothing to compare
            continue
        expect_same(dict(zip(layer.grad_names, first_grads)),
                    dict(zip(layer.grad_names, _backward(session, layer, case, repeat=1))),
                    f"{case.label()}: {layer.backward}")
        if layer.backward_twice and case is layer.cases[0]:  # one cache, two calls: the second must not differ
            expect_same(dict(zip(layer.grad_names, first_grads)),
                        dict(zip(layer.grad_names, _backward(session, layer, case, again=True))),
                        f"{case.label()}: {layer.backward}, called again with the same cache (does it change its "
                        f"cache in place? every backward returns fresh arrays),")
    return f"{layer.backward} not compared (see the gradient rows): {', '.join(unchecked)}" if unchecked else None


def _check_not_modified(session: Session, layer: Layer) -> str | None:
    """No call of any row modified the grader's arrays: every configuration's forward and backward ran, the ordinary
    cases' twice (the deterministic row's repeat), so a modification made only on a repeated call shows too."""
    unchecked = []
    for case, repeat in [(case, repeat) for case in layer.cases for repeat in (0, 1)] + \
            [(edge.case, 0) for edge in layer.graded_edges]:
        if _ran(session, layer, case, repeat) is None and case.name not in unchecked:
            unchecked.append(case.name)  # whatever ran was watched; the other rows say the rest
    session.check_inputs_unmodified((layer.forward, layer.backward))
    return f"{layer.backward} not watched where it did not run: {', '.join(unchecked)}" if unchecked else None


# -- known mistakes -----------------------------------------------------------
def layer_mistake(layer: Layer, name: str, explanation: str, forward: Callable | tuple | None = None,
                  gradients: Callable | tuple | None = None) -> KnownMistake:
    """A known mistake of a layer kata, given as what it computes.

    `forward(reference, *arrays, **params) -> out`, a buggy forward, and/or `gradients(reference, right,
    dout, *arrays, **params)`, a buggy backward written from the forward's inputs (`right`: the reference's
    gradients there, for a mistake in one of them). With several outputs (Layer.outputs), the buggy forward
    returns them all as a tuple, and `dout` is the tuple of their upstream gradients. `reference` is the
    reference module, for what the mistake computes right. Either may be a tuple of the forms the mistake
    takes (padding before, or after): any one matching is the mistake. Matched on every configuration the
    learner's code answers (grader.checks.mistakes).
    """
    def triples(session: Session, forward: Callable | None, gradients: Callable | None):
        for case in layer.cases + tuple(edge.case for edge in layer.graded_edges):
            arrays = tuple(_inputs(session, case).values())
            expected = _expected(session, layer, case)
            try:
                learned = _forward(session, layer, case)
                grads = _backward(session, layer, case) if gradients else ()
            except (CheckFailed, LearnerError):
                continue  # this case fails some other way; judge by the others
            if forward is not None:
                wrong = forward(session.reference, *copy.deepcopy(arrays), **case.params)
                if len(layer.outputs) == 1:
                    yield wrong, learned.out, expected.out, expected.scale
                else:
                    yield from ((*triple, expected.scale) for triple in zip(wrong, learned.outs, expected.outs))
            if gradients is not None:
                douts = expected.dout.copy() if len(layer.outputs) == 1 else tuple(d.copy() for d in expected.douts)
                wrong = _gradients(layer, gradients(session.reference, expected.grads, douts,
                                                    *copy.deepcopy(arrays), **case.params))
                yield from ((*triple, expected.scale) for triple in zip(wrong, grads, expected.grads))
    forms = list(itertools.product(*(option if isinstance(option, tuple) else (option,)
                                     for option in (forward, gradients))))
    return KnownMistake(name, explanation, lambda session: any(matches(triples(session, *form)) for form in forms))
