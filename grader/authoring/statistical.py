"""Checks for katas judged by distribution: the learner's output is random.

Dropout masks, tokens sampled from logits, initial weights, random crops: no check compares the learner's draw with
the reference's, which is another draw. A statistical kata declares its random functions (`Sampler`s) and writes its
own rows from the statistical tools below; `statistical_checks` adds its declared `Edge`s and the rules every random
function shares:

    shape      output shapes: the draw of each of the samplers' cases has its declared shape (and a layer's
               gradient, dout's)
    edge       each Edge: configurations where the draw is no longer random (dropout's p = 0, sampling's top_k = 1)
               give the stated values, finite and without warnings where promised (and a layer's backward too); or
               configurations that must raise
    behaviour  same seed, same <draw>: two calls with rng=default_rng(11) give the same draw
               other seed, other <draw>: seeds 11 and 12 give different draws, and so do two calls with rng=None
               (a fresh Generator)
               global np.random untouched: with an rng given and with rng=None, np.random's global state is neither
               used nor changed
               inputs not modified: by any call of any row

The tools judge boolean event arrays (a unit dropped, a draw equal to token 3), whose elements each happen with the
same probability: `expect_fraction` (the fraction of events within Hoeffding's band of the expected one, a mistaken
one named) and `expect_independent` (neighbours along each axis agree no more often than independent elements could).

False failures, for a correct answer: expect_fraction fails with probability at most FALSE_FAILURE (1e-8);
expect_independent at most FALSE_FAILURE per axis, plus FALSE_FAILURE for the fraction it estimates (Hoeffding's bound
holds for any number of draws, not only in the normal limit). "same seed" and "global np.random untouched" never fail
a correct answer; "other seed" fails one only when two independent draws coincide, so a Sampler's arguments must make
a draw of many outcomes (600 units dropped with p = 0.5 coincide with probability 2**-600). A kata states the sum over
its tests in its docstring. The grader itself stays deterministic: every Generator it hands over is seeded, but for
the rng=None calls.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader.authoring.kata import Check, CheckFailed, KnownMistake
from grader.checks.compare import compare_arrays, input_scale
from grader.checks.mistakes import matches
from grader.checks.results import GROUPS, Speed
from grader.checks.returns import as_numbers, describe_value, expect_clean, expect_raises, expect_tuple, tried
from grader.checks.session import Session
from grader.checks.speed import learner_pass, measure_speed, reference_pass, time_calls
from grader.sandbox.process import Returned

#: The chance that one statistical test fails a correct answer, at most.
FALSE_FAILURE = 1e-8
#: The seeds of the randomness rows: the same twice, then another.
SEED, OTHER_SEED = 11, 12
#: The seed of the "global np.random untouched" row's call with an rng given.
GLOBAL_SEED = 5
#: The shape row's name, for the kata's rows that need it.
SHAPE_ROW = "output shapes"
#: One call's positional arguments, drawn from the seeded Generator it is given.
Arguments = Callable[[np.random.Generator], tuple]


@dataclass(frozen=True)
class Sampler:
    """A random function of the kata, as the randomness rows call it.

    Attributes:
        function: the learner's function ("dropout_forward"); it takes the Generator as `rng` (None: a fresh one).
        arguments: its positional arguments for the randomness rows, whose draw must have many outcomes (see the
            module docstring).
        label: the configuration in messages, from the positional arguments.
        draw: what a call draws, in row names and messages ("mask", "tokens").
        returns: a tuple result's item names, the draw first (("out", "cache")), of which only the draw is sent back;
            () when the function returns its draw itself.
        shape: the draw's shape from the positional arguments (lambda x, p: x.shape); None leaves it unchecked.
        backward: a random layer's backward(dout, cache), returning dx of dout's shape (`returns` is then
            (out, cache)): called in the shape row, watched by "inputs not modified", timed in the speed line.
        cases: the shape row's calls, one of each kind the other rows make (x of every rank), so that one the answer
            cannot take is said once, there.
    """

    function: str
    arguments: Arguments
    label: Callable[..., str]
    draw: str = "draw"
    returns: tuple[str, ...] = ()
    shape: Callable[..., tuple[int, ...]] | None = None
    backward: str = ""
    cases: tuple[Arguments, ...] = ()

    def __post_init__(self) -> None:
        if self.backward and len(self.returns) != 2:
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
    """An edge case of a sampler, one row: configurations where its draw is no longer random, or that must raise.

    Each of `calls` draws one call's positional arguments; `keywords` are added and the call is seeded like any other.
    Its draw must equal `expected(*arguments)`; with `clean` (how to make it stable), it must first be finite and the
    call free of warnings. For a layer, `gradient(dout, *arguments)` is what its backward must return for a random
    dout (None: backward is not called). With `raises` ("ValueError"), each call must raise that instead. `why` heads
    a failure's message, after the call's label ("p = 0 must keep every unit unchanged"). The row waits for the shape
    row, but to raise.
    """

    name: str
    sampler: Sampler
    calls: tuple[Arguments, ...]
    keywords: dict = field(default_factory=dict)
    expected: Callable[..., object] | None = None
    gradient: Callable[..., np.ndarray] | None = None
    clean: str = ""
    raises: str = ""
    why: str = ""

    def __post_init__(self) -> None:
        if (self.expected is None) == (not self.raises):
            raise ValueError(f"edge {self.name!r}: give either expected values or an exception it raises")


def statistical_checks(samplers: tuple[Sampler, ...], extra: tuple[Check, ...] = (),
                       edges: tuple[Edge, ...] = ()) -> tuple[Check, ...]:
    """The shape row (if a sampler has cases), `extra`, the edge rows and the randomness rows, in scorecard order."""
    draw = samplers[0].draw
    shapes = (SHAPE_ROW,) if any(sampler.cases for sampler in samplers) else ()
    rows = [Check(SHAPE_ROW, "shape", lambda s: _shape_row(s, samplers))] if shapes else []
    rows += [Check(edge.name, "edge", lambda s, e=edge: _edge_row(s, e), needs=() if edge.raises else shapes)
             for edge in edges]
    rows += [
        Check(f"same seed, same {draw}", "behaviour", lambda s: _same_seed(s, samplers)),
        Check(f"other seed, other {draw}", "behaviour", lambda s: _other_seed(s, samplers)),
        Check("global np.random untouched", "behaviour", lambda s: _global_rng(s, samplers)),
        Check("inputs not modified", "behaviour", lambda s: _not_modified(s, samplers), runs_last=True),
    ]
    return tuple(sorted(list(extra) + rows, key=lambda check: GROUPS.index(check.group)))


def _drawn(session: Session, arguments: Arguments, *key: object) -> tuple:
    """A call's arguments, drawn for `key` once per run."""
    return session.memo(("arguments", *key), lambda: arguments(session.rng(*key)))


def _call(session: Session, sampler: Sampler, arguments: tuple, seed: int | None, **options) -> Returned:
    """sampler.function(*arguments, rng=default_rng(seed)), rng=None for seed None; `options` go to session.call."""
    rng = None if seed is None else np.random.default_rng(seed)
    with session.about(sampler.label(*arguments)):
        return session.call(sampler.function, *arguments, rng=rng, **options)


def sample(session: Session, sampler: Sampler, arguments: tuple, seed: int | None,
           **keywords) -> tuple[object, Returned]:
    """(the draw, the call) of `_call`, checked to be of the declared kind and shape. Not memoized:
    each call draws anew."""
    returned = _call(session, sampler, arguments, seed, send=(0,) if sampler.returns else None, **keywords)
    value = expect_tuple(returned.value, sampler.function, sampler.returns)[0] if sampler.returns else returned.value
    shape = None if sampler.shape is None else sampler.shape(*arguments)
    if shape is not None and (not isinstance(value, np.ndarray) or value.shape != shape):
        what = f"{sampler.function}'s {sampler.returns[0]} should be" if sampler.returns else \
            f"{sampler.function} should return"
        raise CheckFailed(f"{sampler.label(*arguments)}: {what} an array of shape {shape}; "
                          f"got {describe_value(value)}")
    return value, returned


def backward(session: Session, sampler: Sampler, forward: Returned,
             *key: object) -> tuple[np.ndarray, np.ndarray, Returned]:
    """(dout, dx, the call): dout drawn for `key`, of the shape of `forward`'s draw, and the learner's
    sampler.backward(dout, cache) on `forward`'s cache, checked to be an array of dout's shape."""
    dout = session.rng(*key).standard_normal(np.shape(forward.value[0]))
    with session.about(f"dout of shape {dout.shape}"):
        returned = session.call(sampler.backward, dout, forward.ref[1])
    if not isinstance(returned.value, np.ndarray) or returned.value.shape != dout.shape:
        raise CheckFailed(f"dout of shape {dout.shape}: {sampler.backward} should return dx, an array of that "
                          f"shape; got {describe_value(returned.value)}")
    return dout, returned.value, returned


def seeded(session: Session, sampler: Sampler, seed: int | None = SEED, repeat: int = 0) -> tuple[object, Returned]:
    """`sample` on the sampler's own arguments, once per (seed, repeat) in a run: the randomness rows share it."""
    return session.memo(("seeded", sampler.function, seed, repeat), lambda: sample(
        session, sampler, _drawn(session, sampler.arguments, "sampler arguments", sampler.function), seed))


#: The trusted module that makes many seeded calls in the learner's process (see `many_draws`).
DRAWS = "grader.sandbox.trusted.draws"


def many_draws(session: Session, sampler: Sampler, arguments: tuple, count: int, seed: int | None = None,
               **keywords) -> np.ndarray:
    """(count, *shape) float64: the draws of `count` calls of the sampler on `arguments` (and `keywords`), call i
    with rng=np.random.default_rng([seed, i]) (`many_label`; seed None: the run's seed, so that --seed draws
    anew), shared between the learner's two processes. A Generator of its own per call: the draws are
    independent, as a statistical test assumes, whoever makes them. Needs sampler.shape; a call whose draw is not
    numbers of that shape has a row of NaN (its own row says so, see `first_unshaped`). Not memoized."""
    seed = session.seed if seed is None else seed
    shape = tuple(sampler.shape(*arguments))
    rows, _ = session.learner.run_split_in_child(DRAWS, sampler.function, range(count), tuple(arguments), keywords,
                                                 seed, shape, 0 if sampler.returns else None)
    if rows.shape != (count, *shape) or rows.dtype != np.float64:  # what the trusted code sends, unless tampered
        raise CheckFailed(f"{sampler.label(*arguments)}: {count} calls of {sampler.function} did not give "
                          f"{count} draws of shape {shape}")
    return rows


def many_label(seed: int, index: int) -> str:
    """How call `index` of `many_draws` was seeded, for a message."""
    return f"rng=np.random.default_rng([{seed}, {index}])"


def first_unshaped(rows: np.ndarray) -> int | None:
    """The first call of `many_draws` whose draw was not numbers of the declared shape (or held NaN), or None."""
    bad = np.isnan(rows.reshape(len(rows), -1)).any(axis=1)
    return int(np.argmax(bad)) if bad.any() else None


def _global_call(session: Session, sampler: Sampler, seed: int | None) -> Returned:
    """The sampler's call with np.random's global state watched (nothing sent back), once per seed."""
    return session.memo(("global rng", sampler.function, seed), lambda: _call(
        session, sampler, _drawn(session, sampler.arguments, "sampler arguments", sampler.function), seed,
        send=(), watch_global_rng=True))


def _edge_call(session: Session, edge: Edge, index: int) -> tuple[tuple, object, Returned]:
    """(arguments, the draw, the call) of an edge's call number `index`: the row and mistakes share it."""
    arguments = _drawn(session, edge.calls[index], "edge", edge.name, index)
    return (arguments, *session.memo(("edge", edge.name, index), lambda: sample(
        session, edge.sampler, arguments, 0, **edge.keywords)))


# -- the rows -----------------------------------------------------------------

def _shape_row(session: Session, samplers: tuple[Sampler, ...]) -> None:
    for sampler in samplers:
        for index, case in enumerate(sampler.cases):
            _, forward = sample(session, sampler, _drawn(session, case, "shapes", sampler.function, index), 0)
            if sampler.backward:
                backward(session, sampler, forward, "shapes dout", sampler.function, index)


def _edge_row(session: Session, edge: Edge) -> None:
    sampler = edge.sampler
    for index in range(len(edge.calls)):
        if edge.raises:
            label = sampler.label(*_drawn(session, edge.calls[index], "edge", edge.name, index))
            expect_raises(lambda: _edge_call(session, edge, index), edge.raises, f"{label}: {edge.why}")
            continue
        arguments, got, forward = _edge_call(session, edge, index)
        name = sampler.returns[0] if sampler.returns else sampler.draw
        _expect_stated(edge, arguments, sampler.function, name, forward, got, edge.expected(*arguments),
                       input_scale(*arguments))
        if edge.gradient is not None:
            dout, dx, returned = backward(session, sampler, forward, "edge dout", edge.name, index)
            _expect_stated(edge, arguments, sampler.backward, "dx", returned, dx, edge.gradient(dout, *arguments),
                           input_scale(*arguments, dout))


def _expect_stated(edge: Edge, arguments: tuple, function: str, name: str, returned: Returned, got: object,
                   expected: object, scale: float) -> None:
    label = edge.sampler.label(*arguments)
    if as_numbers(got) is None:
        raise CheckFailed(f"{label}: {function} gave {describe_value(got)} for {name}, not numbers")
    if edge.clean:
        expect_clean(returned.warnings, {name: got}, f"{function} on {label}", edge.clean)
    expect_equal(expected, got, name, f"{label}: {edge.why}", scale)


def _same_seed(session: Session, samplers: tuple[Sampler, ...]) -> None:
    for sampler in samplers:
        if not np.array_equal(*(seeded(session, sampler, SEED, repeat)[0] for repeat in (0, 1))):
            raise CheckFailed(f"two calls of {sampler.function} with rng=np.random.default_rng({SEED}) did not give "
                              f"the same {sampler.draw}: draw the {sampler.draw} from the rng argument")


def _other_seed(session: Session, samplers: tuple[Sampler, ...]) -> None:
    for sampler in samplers:
        if np.array_equal(seeded(session, sampler, SEED)[0], seeded(session, sampler, OTHER_SEED)[0]):
            raise CheckFailed(f"seeds {SEED} and {OTHER_SEED} gave the same {sampler.draw}: draw the "
                              f"{sampler.draw} from the rng argument")
        if np.array_equal(*(seeded(session, sampler, None, repeat)[0] for repeat in (0, 1))):
            raise CheckFailed(f"two calls with rng=None gave the same {sampler.draw}: use a fresh "
                              f"np.random.default_rng()")


def _global_rng(session: Session, samplers: tuple[Sampler, ...]) -> None:
    for sampler in samplers:
        for seed, given in ((GLOBAL_SEED, "with an rng given"), (None, "with rng=None")):
            if _global_call(session, sampler, seed).global_rng_changed:
                raise CheckFailed(f"{given}, {sampler.function} used or changed the global np.random state "
                                  f"(np.random.rand, np.random.seed...): draw from the rng argument")


def _not_modified(session: Session, samplers: tuple[Sampler, ...]) -> str | None:
    """No call of any row changed an argument. Each sampler's seeded call, and a backward on it, is
    made too, in case no row made them; a call that fails is left out, as the other rows say why."""
    unwatched = []
    for sampler in samplers:
        forward = tried(lambda: seeded(session, sampler)[1], stops=True)  # memoized: usually made by a row already
        if forward is None:
            unwatched.append(sampler.function)
        elif sampler.backward and tried(lambda: backward(session, sampler, forward, "dout", sampler.function),
                                        stops=True) is None:
            unwatched.append(sampler.backward)
    session.check_inputs_unmodified()
    return f"not watched where it failed (see the other rows): {', '.join(unwatched)}" if unwatched else None


# -- tests of values ----------------------------------------------------------

def expect_equal(expected: object, got: object, name: str, why: str, scale: float = 1.0) -> None:
    """`got` agrees with `expected` by the contract's rule; else CheckFailed: `why`, then what is off."""
    expected, got = np.asarray(expected, dtype=np.float64), np.asarray(got, dtype=np.float64)
    if expected.shape != got.shape:
        raise CheckFailed(f"{why}: {name} has shape {got.shape}, expected {expected.shape}")
    mismatch = compare_arrays(name, expected, got, scale)
    if mismatch:
        raise CheckFailed(f"{why}: {mismatch.describe()}")


def hoeffding_band(n: int, sides: int = 2) -> float:
    """t such that the mean of n independent draws in [0, 1] strays beyond t of its expectation with
    probability at most FALSE_FAILURE (Hoeffding: P(|mean - mu| >= t) <= 2 exp(-2 n t**2); one side: half)."""
    return math.sqrt(math.log(sides / FALSE_FAILURE) / (2 * n))


@functools.lru_cache(maxsize=256)
def binomial_band(n: int, p: float, alpha: float = FALSE_FAILURE) -> tuple[int, int]:
    """(lo, hi) with P(X < lo) <= alpha/2 and P(X > hi) <= alpha/2 for X ~ Binomial(n, p), exactly: narrower than
    Hoeffding's band far from p = 1/2, and as honest for any n."""
    if p <= 0.0 or p >= 1.0:
        return (0, 0) if p <= 0.0 else (n, n)
    k = np.arange(n + 1)
    steps = np.log(np.arange(n, 0, -1)) - np.log(np.arange(1, n + 1))  # log C(n, i) / C(n, i - 1)
    log_pmf = np.concatenate(([0.0], np.cumsum(steps))) + k * math.log(p) + (n - k) * math.log1p(-p)
    pmf = np.exp(log_pmf)
    below, above = np.cumsum(pmf), np.cumsum(pmf[::-1])[::-1]  # P(X <= k), P(X >= k)
    return int(np.searchsorted(below, alpha / 2, side="right")), int(np.nonzero(above > alpha / 2)[0][-1])


def band(n: int, fraction: float, exact: bool = False) -> tuple[float, float]:
    """The fractions of n events that a test of `fraction` accepts: within Hoeffding's band, or (exact) the
    binomial_band's counts over n; a correct answer strays beyond with probability at most FALSE_FAILURE."""
    if exact:
        lo, hi = binomial_band(n, fraction)
        return lo / n, hi / n
    t = hoeffding_band(n)
    return fraction - t, fraction + t


def within_band(events: np.ndarray, fraction: float, exact: bool = False) -> bool:
    """The fraction of events is within the band around `fraction` (also for known mistakes: "1 - p dropped")."""
    lo, hi = band(np.size(events), fraction, exact)
    return lo <= float(np.mean(events)) <= hi


def expect_fraction(events: np.ndarray, expected: float, label: str, event: Event,
                    mistaken: tuple[tuple[float, str], ...] = (), exact: bool = False) -> None:
    """The fraction of events is `within_band` of `expected` (exact: the binomial band, for events independent
    as Hoeffding's are). `mistaken` pairs (fraction, why): a fraction within the band of one of them is told why
    ("p is the probability of dropping ...")."""
    if within_band(events, expected, exact):
        return
    why = next((f": {why}" for wrong, why in mistaken if within_band(events, wrong, exact)), "")
    n = np.size(events)
    allowed = " ({:.1%} to {:.1%})".format(*band(n, expected, exact)) if exact else f" +- {hoeffding_band(n):.1%}"
    # The expected fraction with as many digits as it is stated with, up to four: 20%, 68.27%.
    raise CheckFailed(f"{label}: {float(np.mean(events)):.1%} of {n} {event.units} {event.happened}, "
                      f"expected {100 * expected:.4g}%{allowed}{why}")


def dependent_axes(events: np.ndarray) -> list[tuple[int, float, float]]:
    """(axis, agreeing fraction, its bound) for each axis along which neighbouring elements agree more often than
    independent ones could.

    Neighbours 2k and 2k+1 make pairs that share no element: for independent elements that are events with probability
    q, each pair agrees with probability q**2 + (1 - q)**2, independently of the others. q is estimated from all the
    elements, within t2 of the truth but for a FALSE_FAILURE, which moves that agreement by at most 2*t2 (its slope is
    at most 2); the pairs' agreeing fraction exceeds its expectation by more than t1 with a chance below
    FALSE_FAILURE. So a correct answer is flagged along an axis with probability at most 2 * FALSE_FAILURE, and a
    wrong fraction alone (another test's business) is not taken for dependence.
    """
    q = float(np.mean(events))
    slack = 2 * hoeffding_band(events.size)
    found = []
    for axis in range(events.ndim):
        even = events.shape[axis] // 2 * 2
        first, second = (np.take(events, np.arange(start, even, 2), axis=axis) for start in (0, 1))
        agreeing = float(np.mean(first == second))
        bound = min(1.0, q**2 + (1 - q) ** 2 + slack + hoeffding_band(first.size, sides=1))
        if agreeing > bound:
            found.append((axis, agreeing, bound))
    return found


def always_together(events: np.ndarray) -> set[int]:
    """The axes along which every pair of neighbours agrees, beyond chance: one draw shared along each
    (a mask for every sample, a whole channel dropped), for known mistakes."""
    return {axis for axis, agreeing, _ in dependent_axes(events) if agreeing == 1.0}


def expect_independent(events: np.ndarray, label: str, event: Event, advice: str,
                       axes: tuple[str, ...] = ()) -> None:
    """No `dependent_axes`; `axes` names each axis ("samples (axis 0)"), `advice` how to draw independently."""
    found = dependent_axes(events)
    if not found:
        return
    names = axes or tuple(f"elements along axis {axis}" for axis in range(events.ndim))
    along = " and ".join(f"neighbouring {names[axis]} are {event.together} in {agreeing:.1%} of pairs"
                         for axis, agreeing, _ in found)
    raise CheckFailed(f"{label}: {along}, more than independent {event.units} could (at most "
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

    def detect(session: Session) -> bool:
        calls = (_edge_call(session, edge, index) for index in range(len(edge.calls)))  # made only until a mismatch
        return matches((buggy(*arguments), got, edge.expected(*arguments), input_scale(*arguments))
                       for arguments, got, _ in calls)
    return KnownMistake(name, explanation, detect)


def sampler_speed(sampler: Sampler, workload: str, arguments: Arguments) -> Callable[[Session], Speed]:
    """The speed line: one call of the sampler (and its backward) on `arguments`, learner vs reference."""
    def measure(session: Session) -> Speed:
        args, rng = arguments(session.rng("speed", sampler.function)), np.random.default_rng(0)
        if not sampler.backward:
            return time_calls(session, workload, [(sampler.function, args, {"rng": rng})])
        stored = [session.learner.put(a, f"argument {i + 1}") if isinstance(a, np.ndarray) else a
                  for i, a in enumerate(args)]
        return measure_speed(session, workload,
                             reference_pass(session.reference, sampler.function, sampler.backward, *args, rng=rng),
                             lambda: learner_pass(session, sampler.function, sampler.backward, *stored, rng=rng))
    return measure
