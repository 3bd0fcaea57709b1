"""Checks for katas judged by distribution: the learner's output is random.

Dropout masks, tokens sampled from logits, initial weights, random crops:
no check compares the learner's draw with the reference's, which is another
draw. A statistical kata declares its random functions (`Sampler`s: the
function, the keyword that takes the Generator, what a call draws) and
writes its own rows from the tools below; `statistical_checks` adds its
declared `Edge`s and the rules every random function shares:

    shape      output shapes: the draw of each of the samplers' cases has
               its declared shape (and a layer's gradient, dout's)
    edge       each Edge: configurations where the draw is no longer random
               (dropout's p = 0, sampling's top_k = 1) give the stated
               values, finite and without warnings where promised (and a
               layer's backward too); or configurations that must raise
    behaviour  same seed, same <draw>: two calls with rng=default_rng(11)
               give the same draw
               other seed, other <draw>: seeds 11 and 12 give different
               draws, and so do two calls with rng=None (a fresh Generator)
               global np.random untouched: with an rng given and with
               rng=None, np.random's global state is neither used nor changed
               inputs not modified: by any call of any row

The statistical tools work on boolean event arrays (a unit dropped, a draw
equal to token 3, a weight within one sigma of 0), whose elements each
happen with the same probability:

    expect_fraction     the fraction of events lies within Hoeffding's band
                        of the expected one; a fraction that lies near a
                        mistaken one (1 - p) is named
    expect_independent  neighbouring elements along each axis agree (both
                        events or both not) no more often than independent
                        ones could: no draw shared along an axis

False failures, for a correct answer: expect_fraction fails with probability
at most FALSE_FAILURE (1e-8); expect_independent at most FALSE_FAILURE per
axis, plus FALSE_FAILURE for the fraction it estimates (Hoeffding's bound
holds for any number of draws, not only in the normal limit). "same seed"
and "global np.random untouched" never fail a correct answer; "other seed"
fails one only when two independent draws coincide, so a Sampler's
arguments must make a draw of many outcomes (600 units dropped with
p = 0.5 coincide with probability 2**-600). A kata states the sum over its
tests in its docstring. The grader itself stays deterministic: every
Generator it hands over is seeded, but for the rng=None calls.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader.authoring.kata import Check, CheckFailed, KnownMistake
from grader.checks.compare import compare_arrays, input_scale
from grader.checks.mistakes import matches
from grader.checks.results import GROUPS, Speed
from grader.checks.returns import as_numbers, describe_value, expect_clean, expect_raises, expect_tuple
from grader.checks.session import Session
from grader.checks.speed import learner_pass, measure_speed, reference_pass
from grader.sandbox.process import LearnerError, Returned

#: The chance that one statistical test fails a correct answer, at most.
FALSE_FAILURE = 1e-8
#: The seeds of the randomness rows: the same twice, then another.
SEED, OTHER_SEED = 11, 12
#: The seed of the "global np.random untouched" row's call with an rng given.
GLOBAL_SEED = 5
#: The shape row's name, for the kata's rows that need it.
SHAPE_ROW = "output shapes"


@dataclass(frozen=True)
class Sampler:
    """A random function of the kata, as the randomness rows call it.

    Attributes:
        function: the learner's function ("dropout_forward").
        arguments: its positional arguments for the randomness rows, drawn
            from a seeded Generator; their draw must have many outcomes (see
            the module docstring).
        keywords: further keyword arguments of those calls.
        draw: what one call draws, for row names and messages ("mask", "tokens").
        returns: the names of a tuple result's items (("out", "cache")); ()
            when the function returns its draw itself.
        item: which of `returns` is the draw ("out"); only it is sent back.
        shape: the draw's shape from the positional arguments (lambda x, p:
            x.shape); None leaves it unchecked.
        label: the configuration in messages, from the positional arguments.
        rng: the keyword that takes the Generator (None: a fresh one).
        backward: a random layer's backward (dropout's): the sampler returns
            (out, cache) and backward(dout, cache) returns `gradient`, of
            dout's shape. It is called in the shape row, watched by "inputs
            not modified" and timed in the speed line.
        cases: the shape row's calls, each drawing its positional arguments
            from a seeded Generator: one of each kind the other rows make
            (x of every rank), so that one the answer cannot take is said
            once, there.
    """

    function: str
    arguments: Callable[[np.random.Generator], tuple]
    keywords: dict = field(default_factory=dict)
    draw: str = "draw"
    returns: tuple[str, ...] = ()
    item: str = ""
    shape: Callable[..., tuple[int, ...]] | None = None
    label: Callable[..., str] = lambda *arguments: ""
    rng: str = "rng"
    backward: str = ""
    gradient: str = "dx"
    cases: tuple[Callable[[np.random.Generator], tuple], ...] = ()

    def __post_init__(self) -> None:
        if self.returns and self.item not in self.returns:
            raise ValueError(f"sampler {self.function!r}: item must name one of {self.returns}")
        if self.backward and (len(self.returns) != 2 or self.item != self.returns[0]):
            raise ValueError(f"sampler {self.function!r}: a layer with a backward returns (out, cache)")


@dataclass(frozen=True)
class Event:
    """What an event array records, in words: `units` that `happened` ("units", "dropped"), and two of
    them that agree, `together` ("dropped or kept together")."""

    units: str
    happened: str
    together: str


@dataclass(frozen=True)
class Edge:
    """An edge case of a sampler, one row: configurations where its draw is no longer random, or that
    must raise.

    Each of `calls` draws one call's positional arguments from a seeded
    Generator; `keywords` are added, and the call is seeded like any other.
    Its draw must equal `expected(*arguments)`; with `clean` (how to make it
    stable), it must be finite and the call free of warnings, which is
    judged first. For a layer, `gradient(dout, *arguments)` is what its
    backward must return for a random dout (None: backward is not called).
    With `raises` ("ValueError"), each call must raise that instead. `why`
    heads a failure's message, after the call's label ("p = 0 must keep
    every unit unchanged"). The row waits for the shape row (but to raise)
    and for the rows in `needs`.
    """

    name: str
    sampler: Sampler
    calls: tuple[Callable[[np.random.Generator], tuple], ...]
    keywords: dict = field(default_factory=dict)
    expected: Callable[..., object] | None = None
    gradient: Callable[..., np.ndarray] | None = None
    clean: str = ""
    raises: str = ""
    why: str = ""
    needs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.expected is None) == (not self.raises):
            raise ValueError(f"edge {self.name!r}: give either expected values or an exception it raises")


def statistical_checks(samplers: tuple[Sampler, ...], extra: tuple[Check, ...] = (),
                       edges: tuple[Edge, ...] = ()) -> tuple[Check, ...]:
    """The shape row (when a sampler has cases), the kata's own `extra` rows, a row per edge and the
    randomness rows of `samplers` (named after the first one's draw), in scorecard order."""
    draw = samplers[0].draw
    shapes = (SHAPE_ROW,) if any(sampler.cases for sampler in samplers) else ()
    rows = [Check(SHAPE_ROW, "shape", lambda s: _shape_row(s, samplers))] if shapes else []
    rows += [Check(edge.name, "edge", lambda s, e=edge: _edge_row(s, e),
                   needs=(() if edge.raises else shapes) + edge.needs) for edge in edges]
    rows += [
        Check(f"same seed, same {draw}", "behaviour", lambda s: _same_seed(s, samplers)),
        Check(f"other seed, other {draw}", "behaviour", lambda s: _other_seed(s, samplers)),
        Check("global np.random untouched", "behaviour", lambda s: _global_rng(s, samplers)),
        Check("inputs not modified", "behaviour", lambda s: _not_modified(s, samplers), runs_last=True),
    ]
    return tuple(sorted(list(extra) + rows, key=lambda check: GROUPS.index(check.group)))


# -- one call -----------------------------------------------------------------

def sample(session: Session, sampler: Sampler, arguments: tuple, seed: int | None,
           **keywords) -> tuple[object, Returned]:
    """(the draw, the call) of the learner's sampler.function(*arguments, rng=default_rng(seed)) (rng=None
    for seed None), checked to be of the declared kind and shape. Not memoized: each call draws anew."""
    label = sampler.label(*arguments)
    rng = None if seed is None else np.random.default_rng(seed)
    send = (sampler.returns.index(sampler.item),) if sampler.returns else None
    with session.about(label):
        returned = session.call(sampler.function, *arguments, send=send,
                                **{**sampler.keywords, sampler.rng: rng, **keywords})
    value = returned.value
    name = f"{sampler.function}'s {sampler.item}" if sampler.returns else sampler.function
    if sampler.returns:
        value = expect_tuple(value, sampler.function, sampler.returns)[send[0]]
    if sampler.shape is not None and (not isinstance(value, np.ndarray) or value.shape != sampler.shape(*arguments)):
        verb = "should be" if sampler.returns else "should return"
        raise CheckFailed(f"{_prefix(label)}{name} {verb} an array of shape {sampler.shape(*arguments)}; "
                          f"got {describe_value(value)}")
    return value, returned


def backward(session: Session, sampler: Sampler, forward: Returned, dout: np.ndarray) -> tuple[np.ndarray, Returned]:
    """(the gradient, the call) of the learner's sampler.backward(dout, cache) on `forward`'s cache, checked
    to be an array of dout's shape."""
    with session.about(f"dout of shape {dout.shape}"):
        returned = session.call(sampler.backward, dout, forward.ref[1])
    gradient = returned.value
    if not isinstance(gradient, np.ndarray) or gradient.shape != dout.shape:
        raise CheckFailed(f"dout of shape {dout.shape}: {sampler.backward} should return {sampler.gradient}, an "
                          f"array of that shape; got {describe_value(gradient)}")
    return gradient, returned


def seeded(session: Session, sampler: Sampler, seed: int | None = SEED, repeat: int = 0) -> tuple[object, Returned]:
    """`sample` on the sampler's own arguments, once per (seed, repeat) in a run: the randomness rows share it."""
    return session.memo(("seeded", sampler.function, seed, repeat),
                        lambda: sample(session, sampler, _arguments(session, sampler), seed))


def _arguments(session: Session, sampler: Sampler) -> tuple:
    return session.memo(("sampler arguments", sampler.function),
                        lambda: sampler.arguments(session.rng("sampler arguments", sampler.function)))


def _global_call(session: Session, sampler: Sampler, seed: int | None) -> Returned:
    """The sampler's call with np.random's global state watched (nothing sent back), once per seed."""
    def call() -> Returned:
        arguments = _arguments(session, sampler)
        rng = None if seed is None else np.random.default_rng(seed)
        with session.about(sampler.label(*arguments)):
            return session.call(sampler.function, *arguments, send=(), watch_global_rng=True,
                                **{**sampler.keywords, sampler.rng: rng})
    return session.memo(("global rng", sampler.function, seed), call)


def _prefix(label: str) -> str:
    return f"{label}: " if label else ""


# -- the shape and edge rows --------------------------------------------------

def _shape_row(session: Session, samplers: tuple[Sampler, ...]) -> None:
    """Each sampler's cases: a draw of the declared kind and shape, and a gradient of dout's shape."""
    for sampler in samplers:
        for index, case in enumerate(sampler.cases):
            out, forward = sample(session, sampler, case(session.rng("shapes", sampler.function, index)), 0)
            if sampler.backward:
                backward(session, sampler, forward,
                         session.rng("shapes dout", sampler.function, index).standard_normal(np.shape(out)))


def _edge_arguments(session: Session, edge: Edge, index: int) -> tuple:
    return session.memo(("edge arguments", edge.name, index),
                        lambda: edge.calls[index](session.rng("edge", edge.name, index)))


def _edge_call(session: Session, edge: Edge, index: int) -> tuple[object, Returned]:
    """(the draw, the call) of an edge's call number `index`, once per run: the row and mistakes share it."""
    return session.memo(("edge", edge.name, index), lambda: sample(
        session, edge.sampler, _edge_arguments(session, edge, index), 0, **edge.keywords))


def _edge_row(session: Session, edge: Edge) -> None:
    sampler = edge.sampler
    for index in range(len(edge.calls)):
        arguments = _edge_arguments(session, edge, index)
        label = sampler.label(*arguments)
        if edge.raises:
            expect_raises(lambda index=index: _edge_call(session, edge, index), edge.raises, _prefix(label) + edge.why)
            continue
        got, forward = _edge_call(session, edge, index)
        _expect_stated(got, edge.expected(*arguments), forward, sampler.function, sampler.item or sampler.draw,
                       label, edge, input_scale(*arguments))
        if edge.gradient is not None:
            dout = session.rng("edge dout", edge.name, index).standard_normal(np.shape(got))
            dx, returned = backward(session, sampler, forward, dout)
            _expect_stated(dx, edge.gradient(dout, *arguments), returned, sampler.backward, sampler.gradient, label,
                           edge, input_scale(*arguments, dout))


def _expect_stated(got: object, expected: object, returned: Returned, function: str, name: str, label: str,
                   edge: Edge, scale: float) -> None:
    """An edge's value: numbers, finite and without warnings when `edge.clean` says how, equal to `expected`."""
    if as_numbers(got) is None:
        raise CheckFailed(f"{_prefix(label)}{function} gave {describe_value(got)} for {name}, not numbers")
    if edge.clean:
        expect_clean(returned.warnings, {name: got}, f"{function} on {label}", edge.clean)
    expect_equal(expected, got, name, _prefix(label) + edge.why, scale)


# -- the randomness rows ------------------------------------------------------

def _same_seed(session: Session, samplers: tuple[Sampler, ...]) -> None:
    for sampler in samplers:
        first, second = (seeded(session, sampler, SEED, repeat)[0] for repeat in (0, 1))
        if not np.array_equal(first, second):
            raise CheckFailed(f"two calls of {sampler.function} with {sampler.rng}=np.random.default_rng({SEED}) did "
                              f"not give the same {sampler.draw}: draw the {sampler.draw} from the {sampler.rng} "
                              f"argument")


def _other_seed(session: Session, samplers: tuple[Sampler, ...]) -> None:
    for sampler in samplers:
        if np.array_equal(seeded(session, sampler, SEED)[0], seeded(session, sampler, OTHER_SEED)[0]):
            raise CheckFailed(f"seeds {SEED} and {OTHER_SEED} gave the same {sampler.draw}: draw the {sampler.draw} "
                              f"from the {sampler.rng} argument")
        if np.array_equal(*(seeded(session, sampler, None, repeat)[0] for repeat in (0, 1))):
            raise CheckFailed(f"two calls with {sampler.rng}=None gave the same {sampler.draw}: use a fresh "
                              f"np.random.default_rng()")


def _global_rng(session: Session, samplers: tuple[Sampler, ...]) -> None:
    for sampler in samplers:
        for seed in (GLOBAL_SEED, None):
            if _global_call(session, sampler, seed).global_rng_changed:
                given = f"with {sampler.rng}=None" if seed is None else f"with an {sampler.rng} given"
                raise CheckFailed(f"{given}, {sampler.function} used or changed the global np.random state "
                                  f"(np.random.rand, np.random.seed...): draw from the {sampler.rng} argument")


def _not_modified(session: Session, samplers: tuple[Sampler, ...]) -> str | None:
    """No call of any row changed an argument. Each sampler's seeded call, and a backward on it, is
    made too, in case no row made them; a call that fails is left out, as the other rows say why."""
    unwatched = []
    for sampler in samplers:
        failing = sampler.function
        try:
            out, forward = seeded(session, sampler)  # memoized: usually made by a row already
            if sampler.backward:
                failing = sampler.backward
                dout = session.rng("dout", sampler.function).standard_normal(np.shape(out))
                backward(session, sampler, forward, dout)
        except (CheckFailed, LearnerError) as error:
            if isinstance(error, LearnerError) and (error.fatal or error.kind == "not_started"):
                raise  # the process is gone, or a stub: the row says so
            unwatched.append(failing)
    session.check_inputs_unmodified()
    return f"not watched where it failed (see the other rows): {', '.join(unwatched)}" if unwatched else None


# -- tests of values ----------------------------------------------------------

def expect_equal(expected: object, got: object, name: str, why: str, scale: float = 1.0) -> None:
    """`got` agrees with `expected` by the contract's rule; else CheckFailed: `why`, then what is off."""
    expected, got = np.asarray(expected, dtype=np.float64), np.asarray(got, dtype=np.float64)
    mismatch = compare_arrays(name, expected, got, scale) if expected.shape == got.shape else None
    if expected.shape != got.shape or mismatch:
        what = mismatch.describe() if mismatch else f"{name} has shape {got.shape}, expected {expected.shape}"
        raise CheckFailed(f"{why}: {what}")


# -- statistical tests on event arrays ----------------------------------------

def hoeffding_band(n: int, chance: float = FALSE_FAILURE, sides: int = 2) -> float:
    """t such that the mean of n independent draws in [0, 1] strays beyond t of its expectation with
    probability at most `chance` (Hoeffding: P(|mean - mu| >= t) <= 2 exp(-2 n t**2); one side: half)."""
    return math.sqrt(math.log(sides / chance) / (2 * n))


def within_band(events: np.ndarray, fraction: float, chance: float = FALSE_FAILURE) -> bool:
    """The fraction of events is within the band around `fraction` (for known mistakes: "1 - p dropped")."""
    return abs(float(np.mean(events)) - fraction) <= hoeffding_band(np.size(events), chance)


def _percent(fraction: float) -> str:
    """20% for 0.2, 68.27% for 0.6827: as many digits as the stated fraction has, up to four."""
    return f"{100 * fraction:.4g}%"


def expect_fraction(events: np.ndarray, expected: float, label: str, event: Event,
                    mistaken: tuple[tuple[float, str], ...] = ()) -> None:
    """The fraction of events lies within hoeffding_band(events.size) of `expected`: fails a correct
    answer with probability at most FALSE_FAILURE. `mistaken` pairs (fraction, why): a fraction within
    the band of one of them is told why ("p is the probability of dropping ...")."""
    fraction, band = float(np.mean(events)), hoeffding_band(np.size(events))
    if abs(fraction - expected) <= band:
        return
    why = next((f": {why}" for wrong, why in mistaken if abs(fraction - wrong) <= band), "")
    raise CheckFailed(f"{_prefix(label)}{fraction:.1%} of {np.size(events)} {event.units} {event.happened}, "
                      f"expected {_percent(expected)} +- {band:.1%}{why}")


def agreeing_pairs(events: np.ndarray, axis: int) -> tuple[float, int]:
    """(fraction of pairs that agree, pairs): neighbours 2k and 2k+1 along `axis`, both events or both
    not. The pairs share no element, so for independent elements that are events with probability q,
    each agrees with probability q**2 + (1-q)**2, independently of the others."""
    length = events.shape[axis] // 2 * 2
    first = np.take(events, np.arange(0, length, 2), axis=axis)
    second = np.take(events, np.arange(1, length, 2), axis=axis)
    return float(np.mean(first == second)), int(first.size)


def dependent_axes(events: np.ndarray, chance: float = FALSE_FAILURE) -> list[tuple[int, float, float]]:
    """(axis, agreeing fraction, its bound) for each axis along which neighbouring elements agree more
    often than independent ones could.

    Independent elements that are events with probability q agree in pairs with probability
    q**2 + (1 - q)**2. q is estimated from all the elements (within t2 of the truth but for a `chance`),
    which moves that agreement by at most 2*t2 (its slope is at most 2); the pairs' agreeing fraction
    strays above its expectation by more than t1 with a chance below `chance`. So a correct answer is
    flagged along an axis with probability at most 2 * `chance`, and a wrong fraction alone (another
    test's business) is not taken for dependence.
    """
    q = float(np.mean(events))
    slack = 2 * hoeffding_band(events.size, chance)
    found = []
    for axis in range(events.ndim):
        agreeing, pairs = agreeing_pairs(events, axis)
        bound = min(1.0, q**2 + (1 - q) ** 2 + slack + hoeffding_band(pairs, chance, sides=1))
        if agreeing > bound:
            found.append((axis, agreeing, bound))
    return found


def always_together(events: np.ndarray) -> set[int]:
    """The axes along which every pair of neighbours agrees, beyond chance: one draw shared along each
    (a mask for every sample, a whole channel dropped), for known mistakes."""
    return {axis for axis, agreeing, _ in dependent_axes(events) if agreeing == 1.0}


def expect_independent(events: np.ndarray, label: str, event: Event, advice: str,
                       axes: tuple[str, ...] = ()) -> None:
    """No axis along which neighbouring events agree more often than independent ones could
    (`dependent_axes`). `axes` names each axis in messages ("samples (axis 0)"); `advice` says how
    to draw independently."""
    found = dependent_axes(events)
    if not found:
        return
    names = axes or tuple(f"elements along axis {axis}" for axis in range(events.ndim))
    along = " and ".join(f"neighbouring {names[axis]} are {event.together} in {agreeing:.1%} of pairs"
                         for axis, agreeing, _ in found)
    raise CheckFailed(f"{_prefix(label)}{along}, more than independent {event.units} could (at most "
                      f"{max(bound for _, _, bound in found):.1%} by chance, with {float(np.mean(events)):.1%} "
                      f"{event.happened}): {advice}")


# -- known mistakes and speed -------------------------------------------------

def global_rng_mistake(samplers: tuple[Sampler, ...], name: str, explanation: str) -> KnownMistake:
    """The draw comes from np.random's global state although an rng is given (the row's own call)."""
    return KnownMistake(name, explanation, lambda session: any(
        bool(_global_call(session, sampler, GLOBAL_SEED).global_rng_changed) for sampler in samplers))


def edge_mistake(edge: Edge, name: str, explanation: str, buggy: Callable[..., object]) -> KnownMistake:
    """A known mistake at an edge's configurations: buggy(*arguments) is what the mistake gives there
    (x*(1 - p) at train=False), matched by grader.checks.mistakes on the edge row's own calls."""
    if edge.raises:
        raise ValueError(f"edge {edge.name!r} raises: a mistake there is a missing raise, which its row says")

    def triples(session: Session):
        for index in range(len(edge.calls)):
            arguments = _edge_arguments(session, edge, index)
            yield (buggy(*arguments), _edge_call(session, edge, index)[0], edge.expected(*arguments),
                   input_scale(*arguments))
    return KnownMistake(name, explanation, lambda session: matches(triples(session)))


def sampler_speed(sampler: Sampler, workload: str,
                  arguments: Callable[[np.random.Generator], tuple]) -> Callable[[Session], Speed]:
    """The speed line: one call of the sampler (and its backward) on `arguments`, with a seeded
    Generator, learner vs reference."""
    def measure(session: Session) -> Speed:
        args = arguments(session.rng("speed", sampler.function))
        stored = [session.learner.put(a, f"argument {i + 1}") if isinstance(a, np.ndarray) else a
                  for i, a in enumerate(args)]
        keywords = {**sampler.keywords, sampler.rng: np.random.default_rng(0)}
        if sampler.backward:
            return measure_speed(
                session, workload, reference_pass(session.reference, sampler.function, sampler.backward, *args,
                                                  **keywords),
                lambda: learner_pass(session, sampler.function, sampler.backward, *stored, **keywords))
        return measure_speed(
            session, workload, lambda: getattr(session.reference, sampler.function)(*args, **keywords),
            lambda: session.call(sampler.function, *stored, send=(), watch_inputs=False, **keywords).seconds)
    return measure
