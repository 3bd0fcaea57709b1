"""Checks for katas of update rules: one step of a loop, handing back the state the next call is given.

An update rule is called as `rule(*arguments, state=None) -> (value, state)`, each call given the state the call
before returned: an optimizer's `adam(w, dw, config) -> (next_w, config)`, a learning-rate schedule, a decoder's
`decode_step(x_new, ..., cache) -> (out_new, cache)`. Each `Rule` of an `UpdateRules` runs `steps` steps as a loop
calls it: from None, its custom or its partial state, then on the learner's own returned state (a Ref, kept in the
learner's process) and value. `rule_checks` builds the rows:

    shape      "returns (next_w, config)": each rule once, the state left out, on arguments of another shape than
               the runs'
    value      "<rule> over several steps" (from None; a constant ratio of the step next_w - w is named after the
               hyperparameters), "custom configs", "missing keys take defaults": the value at every step of the
               runs; "state carried in config": the kept keys at every step of the runs from None
    edge       the kata's own rows, each on one call outside the runs (a `Probe`): `probe_row`, or written with
               `one_step`, `value_mismatch`, `expect_state`, `looks_like`
    behaviour  "w and dw not modified", by any call of any row (runs last); "deterministic": every run from None
               made twice

Every run and probe calls the learner once, shared by the rows and the known mistakes (Session.memo). A known
mistake is a buggy copy of a rule, `buggy(reference, *arguments, state) -> (value, state)`, matched by
grader.checks.mistakes over the runs (`rule_mistake`) or on a probe (`probe_mistake`); `dropping` builds the two any
kata has. State kept outside the returned one (`leaked_state_mistake`) and a start that raises (`raising_mistake`)
have detectors of their own; `rule_speed` times steps.

A decoder's step (`decode_step(x_new, ..., cache) -> (out_new, cache)`, grader/specs/kv_cache.py) uses a few
options that an optimizer leaves at their defaults:

    step_shapes  the shape each step's arguments are drawn at, one per step (chunks of positions of different sizes:
                 (2, 5, 12), (2, 1, 12), ...), in place of `shape` at each of `steps` steps; a step's label then names
                 the shapes of its drawn arguments. A Probe's `step_shapes` makes it a run of several calls, each
                 given the state the call before returned (`probe_steps`), its rows and mistakes judging every call.
    opaque       the state is the learner's own, only handed back (a cache): the shape row does not ask for a dict.
    feeds=None   no argument takes the value the step before returned (out_new is not the next x_new).
    unmodified   the words of the not-modified row ("x_new and the weights"), when not every argument's name.

`rule_mistake(..., probes=...)` judges a mistake over those probes' calls too; `raising_mistake(..., says=...)` asks
the error's message to match a pattern (numpy's "concatenation axis" at the second call: a cache grown along the
wrong axis); `growth_speed` times a step after a short and after a long history (a prompt of 16 and of 128
positions) and says how each side's step time grew between them: a step that redoes the whole history grows, one
that keeps it stays near flat.
"""
from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader.authoring.kata import Check, CheckFailed, KnownMistake
from grader.checks.compare import Mismatch, agree, compare_arrays, input_scale, same_outputs
from grader.checks.mistakes import matches
from grader.checks.results import GROUPS, Speed
from grader.checks.returns import (as_numbers, describe_value, exception_raised, expect_kind, expect_same,
                                   expect_tuple, real_scalar, tried)
from grader.checks.session import Session
from grader.checks.speed import LEARNER_FLOOR_SECONDS, SPEED_LIMIT_SECONDS, SPEED_SHARE, measure_speed
from grader.sandbox.errors import LearnerError

#: A run's first state: None, the rule's custom one, or its partial one. The names seed the runs' draws.
STARTS = ("default", "custom", "partial")

#: draw(rng, shape) -> some of a call's arguments by name.
Draw = Callable[[np.random.Generator, tuple], dict]


@dataclass(frozen=True)
class Rule:
    """One update rule of the kata.

    Attributes:
        name: the learner's function.
        defaults: its hyperparameters' defaults (the contract's): a constant ratio between the learner's step and
            the expected one is named after them ("learning_rate").
        keeps: the state keys it carries from call to call ("m", "v", "t").
        custom: a starting state with every hyperparameter away from its default; None: no custom run.
        partial: a starting state with some keys given, the rest to take their defaults ({} counts);
            None: no partial run.
        notes: words said when a key of the state is wrong
            ({"t": "t counts the steps taken, incremented before use"}).
    """

    name: str
    defaults: dict[str, float] = field(default_factory=dict)
    keeps: tuple[str, ...] = ()
    custom: dict | None = None
    partial: dict | None = None
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def starts(self) -> dict[str, dict | None]:
        """{start: the state a run from it gives the first call} for the STARTS the rule runs from."""
        return {start: state for start, state in zip(STARTS, (None, self.custom, self.partial))
                if start == "default" or state is not None}


@dataclass(frozen=True)
class UpdateRules:
    """A kata of update rules, declaratively: how the loop calls them.

    The defaults are an optimizer's loop: `rule(w, dw, config) -> (next_w, config)`, w ~ N(0, 1) drawn once and then
    each step's next_w, dw ~ N(0, 1) drawn anew at every step.

    Attributes:
        rules: the rules; every one takes the same arguments.
        arguments: the arguments before the state, by name in call order ("w", "dw").
        once: draws the arguments drawn once per run, before its first step (w).
        each_step: draws the arguments drawn anew at every step (dw).
        feeds: the argument that takes, from the second step on, the value the step before returned ("w"); None when
            none does.
        value: the name of the value returned beside the state ("next_w").
        like: the argument whose shape the value has ("w"); None: the value is a real scalar (a learning rate).
        state: the state's name ("config"); it is a dict.
        shape: the shape the runs' and the probes' arguments are drawn at.
        steps: steps per run.
        any_shape: the shape row's, another than `shape`: a rule must take any.
        step_shapes: the shape each step's arguments (each_step) are drawn at, one per step, in place of `shape`
            at each of `steps` steps (a decoder's chunks of positions); `once` still draws at `shape`.
        opaque: the state is the learner's own, only handed back (a decoder's cache), not a dict to read.
        unmodified: the not-modified row's words for the arguments ("x_new and the weights"); default: their names.
    """

    rules: tuple[Rule, ...]
    arguments: tuple[str, ...] = ("w", "dw")
    once: Draw = lambda rng, shape: {"w": rng.standard_normal(shape)}
    each_step: Draw = lambda rng, shape: {"dw": rng.standard_normal(shape)}
    feeds: str | None = "w"
    value: str = "next_w"
    like: str | None = "w"
    state: str = "config"
    shape: tuple = (3, 4)
    steps: int = 5
    any_shape: tuple = (2, 3, 4)
    step_shapes: tuple[tuple, ...] = ()
    opaque: bool = False
    unmodified: str = ""

    @property
    def schedule(self) -> tuple[tuple, ...]:
        """The shape each step of a run draws its arguments at."""
        return self.step_shapes or (self.shape,) * self.steps

    def rule(self, name: str) -> Rule:
        return next(rule for rule in self.rules if rule.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(rule.name for rule in self.rules)

    def ordered(self, values: dict) -> dict:
        return {name: values[name] for name in self.arguments}


@dataclass(frozen=True)
class Probe:
    """One call of a rule outside the runs, for an edge row: `label` says it in words ("adam(w, dw, None) with
    |dw| about 1e-6"), heads the row's messages and is unique among the rule's probes; `draw(rng, shape)`
    (rng seeded by `seed`) gives the arguments by name and, under the state's name, the state (None: left out).
    With `step_shapes`, the probe is a run of one call per shape: draw(rng, step_shapes[0]) gives the first call's
    arguments and state; each later call draws its own each_step arguments at its shape, keeps the others, and is
    given the state the call before returned."""

    rule: str
    label: str
    seed: str
    draw: Draw
    step_shapes: tuple[tuple, ...] = ()


@dataclass(frozen=True)
class Step:
    """One call of a rule: what the learner was given (`given`: the state, as plain data) and returned, and the
    reference's answer. `label` names the call ("adam(w, dw, None), then the config it returned: step 2 of 5")."""

    rule: str
    label: str
    arguments: dict
    given: object
    value: object
    state: object
    expected: object
    expected_state: dict

    @property
    def scale(self) -> float:
        """The agreement rule's s: the largest magnitude among the arguments and the expected value."""
        return input_scale(*self.arguments.values(), self.expected)


def rule_checks(kata: UpdateRules, extra: tuple[Check, ...] = ()) -> tuple[Check, ...]:
    """The standard rows for `kata` and the kata's own `extra` rows, in scorecard order."""
    rows = [Check(f"returns ({kata.value}, {kata.state})", "shape", lambda s: _returns_pair(s, kata))]
    rows += [Check(f"{rule.name} over several steps", "value", lambda s, r=rule: _expect_runs(s, kata, "default", (r,)))
             for rule in kata.rules]
    for start, name in (("custom", f"custom {kata.state}s"), ("partial", "missing keys take defaults")):
        if any(start in rule.starts for rule in kata.rules):
            rows.append(Check(name, "value", lambda s, start=start: _expect_runs(s, kata, start, kata.rules)))
    if any(rule.keeps for rule in kata.rules):
        rows.append(Check(f"state carried in {kata.state}", "value", lambda s: _state_carried(s, kata)))
    touched = kata.unmodified or (", ".join(kata.arguments[:-1]) + " and " if len(kata.arguments) > 1 else "") + \
        kata.arguments[-1]
    rows.append(Check(f"{touched} not modified", "behaviour", lambda s: _not_modified(s, kata), runs_last=True))
    rows.append(Check("deterministic", "behaviour", lambda s: _deterministic(s, kata)))
    return tuple(sorted(rows + list(extra), key=lambda check: GROUPS.index(check.group)))


# -- the calls, the learner's and the reference's, each made once ------------------

def describe_run(kata: UpdateRules, rule: str, start: str) -> str:
    """'adam(w, dw, None), then the config it returned': how a run from `start` calls `rule`."""
    given = kata.rule(rule).starts[start]
    shown = "None" if given is None else \
        "{" + ", ".join(f"{key!r}: {_number(value)}" for key, value in given.items()) + "}"
    return f"{rule}({', '.join(kata.arguments)}, {shown}), then the {kata.state} it returned"


def run(session: Session, kata: UpdateRules, rule: str, start: str = "default", repeat: int = 0) -> tuple[Step, ...]:
    """`kata.steps` steps of `rule` from the state `start` names (`repeat` > 0: another run, for determinism)."""
    def compute() -> tuple[Step, ...]:
        rng = session.rng("run", rule, start)
        held, drawn = kata.once(rng, kata.shape), [kata.each_step(rng, shape) for shape in kata.schedule]
        label = describe_run(kata, rule, start)
        return _steps(session, kata, rule, held, drawn, kata.rule(rule).starts[start],
                      lambda k: _about_step(label, k, drawn, bool(kata.step_shapes)))
    return session.memo(("run", rule, start, repeat), compute)


def one_step(session: Session, kata: UpdateRules, probe: Probe) -> Step:
    """The learner's and the reference's call on the probe's inputs (its first, for a probe of several calls);
    the value checked to be of its kind."""
    return probe_steps(session, kata, probe)[0]


def probe_steps(session: Session, kata: UpdateRules, probe: Probe) -> tuple[Step, ...]:
    """The learner's and the reference's calls on the probe's inputs: one, or one per shape of its step_shapes."""
    def compute() -> tuple[Step, ...]:
        rng = session.rng(probe.seed)
        drawn = probe.draw(rng, (probe.step_shapes or (kata.shape,))[0])
        later = [kata.each_step(rng, shape) for shape in probe.step_shapes[1:]]
        anew = {name for each in later for name in each}  # the arguments each later call draws afresh
        arguments = kata.ordered(drawn)
        held = {name: value for name, value in arguments.items() if name not in anew}
        each = [{name: value for name, value in arguments.items() if name in anew}, *later]
        about = (lambda k: _about_step(probe.label, k, each, True)) if probe.step_shapes else (lambda k: probe.label)
        return _steps(session, kata, probe.rule, held, each, drawn.get(kata.state), about)
    return session.memo(("probe", probe.rule, probe.label), compute)


def _about_step(label: str, k: int, drawn: list[dict], with_shapes: bool) -> str:
    """'<label>: step k of n', `with_shapes` followed by the shapes of the arguments drawn for step k."""
    shapes = with_shapes and ", ".join(f"{name} of shape {np.shape(value)}" for name, value in drawn[k - 1].items())
    return f"{label}: step {k} of {len(drawn)}" + (f" ({shapes})" if shapes else "")


def _steps(session: Session, kata: UpdateRules, rule: str, held: dict, drawn: list[dict], given: object,
           about: Callable[[int], str]) -> tuple[Step, ...]:
    """The learner's steps of `rule` (step k named about(k)) beside the reference's, each fed as in _feed: the
    learner's gets its own returned state object (a Ref: it stays in the learner's process, as a loop keeps it)."""
    expected = _feed(kata, held, drawn, given, lambda *arguments: session.reference_call(rule, *arguments))
    held, learner_state, given_data, steps = dict(held), given, copy.deepcopy(given), []
    for k, (each, (_, right, right_state)) in enumerate(zip(drawn, expected), 1):
        arguments = kata.ordered({**each, **held})
        with session.about(about(k)):
            returned = session.call(rule, *arguments.values(), learner_state)
        value, state = _returned(kata, rule, returned.value, arguments)
        steps.append(Step(rule, about(k), arguments, given_data, value, state, right, right_state))
        if kata.feeds:
            held[kata.feeds] = value
        learner_state, given_data = returned.ref[1], state
    return tuple(steps)


def _feed(kata: UpdateRules, held: dict, drawn: list[dict], state: object, step: Callable) -> list[tuple]:
    """(arguments, value, state) at each step of a loop of `step(*arguments, state) -> (value, state)` on the
    arguments `held` and each of `drawn`, given the state and (to `kata.feeds`) the value the step before returned."""
    held, done = dict(held), []
    for each in drawn:
        arguments = kata.ordered({**each, **held})
        value, state = step(*arguments.values(), state)
        done.append((arguments, value, state))
        if kata.feeds:
            held[kata.feeds] = value
    return done


def _returned(kata: UpdateRules, rule: str, returned: object, arguments: dict) -> tuple[object, object]:
    """(value, state) of what a call returned, the value checked to be of its kind and shape."""
    value, state = expect_tuple(returned, rule, (kata.value, kata.state))
    shape = None if kata.like is None else np.shape(arguments[kata.like])
    return expect_kind(value, f"{rule}'s {kata.value}", shape, why=f" (the shape of {kata.like})"), state


def _mistaken(session: Session, kata: UpdateRules, steps: tuple[Step, ...], buggy: Callable) -> list[tuple]:
    """(arguments, value, state) of `buggy` over the steps of a run (or a probe), from their first arguments and
    state, fed its own value and state; it is given copies."""
    held = {kata.feeds: steps[0].arguments[kata.feeds]} if kata.feeds else {}
    return _feed(kata, held, [step.arguments for step in steps], steps[0].given,
                 lambda *arguments: buggy(session.reference, *copy.deepcopy(arguments)))


# -- comparisons --------------------------------------------------------------

def value_mismatch(kata: UpdateRules, step: Step) -> Mismatch | None:
    return compare_arrays(kata.value, step.expected, step.value, step.scale)


def looks_like(session: Session, kata: UpdateRules, step: Step, buggy: Callable, key: str | None = None) -> bool:
    """The learner's value (with `key`: that entry of its state) agrees with what `buggy` returns there."""
    _, wrong_value, wrong_state = _mistaken(session, kata, (step,), buggy)[0]
    if key is None:
        got, wrong = step.value, wrong_value
    else:
        got, wrong = step.state.get(key) if isinstance(step.state, dict) else None, wrong_state[key]
    got = as_numbers(got)
    return got is not None and agree(wrong, got, step.scale)


def _agrees(session: Session, kata: UpdateRules, steps: tuple[Step, ...], buggy: Callable) -> bool:
    """The learner's value at every one of `steps` (a run, or a probe's calls) agrees with what `buggy` returns
    there, fed its own values and state from the first step's (looks_like, call after call)."""
    wrong = _mistaken(session, kata, steps, buggy)
    return all((got := as_numbers(step.value)) is not None and agree(value, got, step.scale)
               for step, (_, value, _) in zip(steps, wrong))


def expect_state(session: Session, kata: UpdateRules, step: Step, key: str, when: str = "",
                 like: tuple[tuple[Callable, str], ...] = ()) -> None:
    """The learner's state[key] against the reference's: a count exactly, a number or an array by the
    agreement rule, after the words of a (buggy rule, words) of `like` it agrees with. `when` says which
    call returned it (default: "after one step from <the probe>")."""
    rule, when = kata.rule(step.rule), when or f"after one step from {step.label}"
    if not isinstance(step.state, dict):
        raise CheckFailed(f"{rule.name} must return its {kata.state} as a dict; {when} it returned "
                          f"{describe_value(step.state)}")
    if key not in step.state:
        raise CheckFailed(f"{rule.name}'s returned {kata.state} has no {key!r} {when}; it must carry the state: "
                          f"{', '.join(rule.keeps)}")
    entry, note = f"{kata.state}[{key!r}]", f" ({rule.notes[key]})" if rule.notes.get(key) else ""
    for words in (words for buggy, words in like if looks_like(session, kata, step, buggy, key)):
        raise CheckFailed(f"{step.rule}: {when}, {entry} is {words}")
    got, expected = step.state[key], step.expected_state[key]
    if not isinstance(expected, np.ndarray):
        if isinstance(got, np.ndarray) and got.size == 1:
            got = got.reshape(()).item()
        number = real_scalar(got)
        exact = isinstance(expected, (int, np.integer))  # a count: 2.0 is 2, 2.000001 is not
        if number is None or not (number == expected if exact else agree(expected, number, step.scale)):
            shown = got if number is not None else describe_value(got)
            raise CheckFailed(f"{step.rule}: {entry} {when} expected {expected}, got {shown}{note}")
        return
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        shape_of = f" (the shape of {kata.like})" \
            if kata.like and np.shape(step.arguments[kata.like]) == expected.shape else ""
        raise CheckFailed(f"{step.rule}: {entry} {when} must be an array of shape {expected.shape}{shape_of}; got "
                          f"{describe_value(got)}")
    mismatch = compare_arrays(entry, expected, got, step.scale)
    if mismatch:
        raise CheckFailed(f"{step.rule}: {when}: {mismatch.describe()}{note}")


def probe_row(kata: UpdateRules, name: str, probe: Probe, why: str = "", like: tuple[tuple[Callable, str], ...] = (),
              keys: dict[str, tuple[tuple[Callable, str], ...]] | None = None, needs: tuple[str, ...] = ()) -> Check:
    """An edge row: the probe's value (at each of its calls) against the reference's, else a failure headed by
    `why` (default: the call; for a probe of several calls, `why` and then the call) with the words of the first
    (buggy rule, words) of `like` it agrees with (at every call); then expect_state for each key of `keys`, given
    its (buggy rule, words) pairs."""
    def check(session: Session) -> None:
        steps = probe_steps(session, kata, probe)
        for step in steps:
            mismatch = value_mismatch(kata, step)
            if mismatch:
                hint = next((f"; {words}" for buggy, words in like if _agrees(session, kata, steps, buggy)), "")
                where = f"{why}: {step.label}" if why and len(steps) > 1 else why or step.label
                raise CheckFailed(f"{where}: {mismatch.describe()}{hint}")
        for key, key_like in (keys or {}).items():
            for step in steps:
                expect_state(session, kata, step, key, like=key_like)
    return Check(name, "edge", check, needs=needs)


# -- the rows -----------------------------------------------------------------

def _returns_pair(session: Session, kata: UpdateRules) -> None:
    rng = session.rng("shape")
    arguments = kata.ordered({**kata.once(rng, kata.any_shape), **kata.each_step(rng, kata.any_shape)})
    for rule in kata.names:
        returned = session.call(rule, *arguments.values())  # the state left out: it defaults to None
        _, state = _returned(kata, rule, returned.value, arguments)
        if not kata.opaque and not isinstance(state, dict):
            raise CheckFailed(f"{rule} must return ({kata.value}, {kata.state}) with {kata.state} a dict; its "
                              f"{kata.state} is {describe_value(state)}")


def _expect_runs(session: Session, kata: UpdateRules, start: str, rules: tuple[Rule, ...]) -> None:
    """The value at every step of each rule's run from `start`; the first step off says how its step
    next_w - w compares with the expected one (a constant ratio: a power of the learning rate?)."""
    for rule in (rule for rule in rules if start in rule.starts):
        quantities = {key: value for key, value in {**rule.defaults, **(rule.starts[start] or {})}.items()
                      if real_scalar(value) is not None}
        for step in run(session, kata, rule.name, start):
            mismatch = value_mismatch(kata, step)
            if mismatch:
                ratio = ""
                if kata.feeds:
                    fed = step.arguments[kata.feeds]
                    how = compare_arrays(f"the step {kata.value} - {kata.feeds}", np.subtract(step.expected, fed),
                                         np.subtract(step.value, fed), step.scale, quantities)
                    ratio = f"; {how.how()}" if how is not None and how.how() else ""
                raise CheckFailed(f"{step.label}: {mismatch.describe()}{ratio}")


def _state_carried(session: Session, kata: UpdateRules) -> None:
    """Every rule's run from None, key by key and step by step. A rule that keeps no state is run too:
    its run failing fails this row as well, which must not pass on runs that did not take place."""
    for rule in kata.rules:
        for k, step in enumerate(run(session, kata, rule.name), 1):
            when = f"after step {k} of {len(kata.schedule)} ({describe_run(kata, rule.name, 'default')})"
            for key in rule.keeps:
                expect_state(session, kata, step, key, when)


def _not_modified(session: Session, kata: UpdateRules) -> None:
    """No call of any row changed the arguments it was given; every run from None is made first."""
    for rule in kata.names:
        tried(lambda: run(session, kata, rule), stops=True)
    session.check_inputs_unmodified()


def _first_difference(session: Session, kata: UpdateRules, rule: str) -> int | None:
    """The first step at which a second run of `rule` from None gives another value, or None."""
    first, second = run(session, kata, rule), run(session, kata, rule, repeat=1)
    return next((k for k, (a, b) in enumerate(zip(first, second), 1)
                 if not same_outputs(np.asarray(a.value), np.asarray(b.value))), None)


def _deterministic(session: Session, kata: UpdateRules) -> None:
    for rule in kata.names:
        first, second = run(session, kata, rule), run(session, kata, rule, repeat=1)
        expect_same({f"{kata.value} at step {k}": a.value for k, a in enumerate(first, 1)},
                    {f"{kata.value} at step {k}": b.value for k, b in enumerate(second, 1)}, rule)


# -- known mistakes: buggy(reference, *arguments, state) -> (value, state), a rule given the reference first --

def dropping(rule: str, keep: Callable[[str], bool]) -> Callable:
    """The reference's `rule` given only the state keys `keep` accepts. Dropping a state key is state not
    carried (each step starts afresh); keeping only the state keys, the hyperparameters ignored."""
    return lambda reference, *arguments: getattr(reference, rule)(
        *arguments[:-1], {key: value for key, value in (arguments[-1] or {}).items() if keep(key)})


def rule_mistake(kata: UpdateRules, name: str, explanation: str, buggy: dict[str, Callable],
                 probes: tuple[Probe, ...] = ()) -> KnownMistake:
    """Every run of each rule in `buggy` (rule name -> buggy rule), and every one of the `probes` of that rule,
    gives the buggy rule's value at every step (see _mistaken); a run that fails some other way is not judged."""
    def triples(session: Session):
        for rule, wrong in buggy.items():
            calls = [lambda start=start: run(session, kata, rule, start) for start in kata.rule(rule).starts]
            calls += [lambda probe=probe: probe_steps(session, kata, probe) for probe in probes if probe.rule == rule]
            for make in calls:
                steps = tried(make)
                for step, (_, value, _) in zip(steps, _mistaken(session, kata, steps, wrong)) if steps else ():
                    yield value, step.value, step.expected
    return KnownMistake(name, explanation, lambda session: matches(triples(session)))


def probe_mistake(kata: UpdateRules, name: str, explanation: str, probe: Probe, buggy: Callable,
                  judge: tuple[str, ...] = (), fallback: bool = False) -> KnownMistake:
    """On the probe's call, the learner's value (or, with `judge`, those state keys) is the buggy rule's."""
    def triples(session: Session):
        step = one_step(session, kata, probe)
        _, wrong_value, wrong_state = _mistaken(session, kata, (step,), buggy)[0]
        if not judge:
            yield wrong_value, step.value, step.expected
        for key in judge:
            got = step.state.get(key) if isinstance(step.state, dict) else None
            yield wrong_state[key], got, step.expected_state[key]
    return KnownMistake(name, explanation, lambda session: matches(triples(session)), fallback)


def leaked_state_mistake(kata: UpdateRules, name: str, explanation: str) -> KnownMistake:
    """A second run from None steps differently: some state lives outside the one returned (a module-level
    variable) and carries from one run to the next."""
    return KnownMistake(name, explanation, lambda session: any(
        tried(lambda: _first_difference(session, kata, rule)) is not None for rule in kata.names))


def raising_mistake(kata: UpdateRules, name: str, explanation: str, start: str, exception_type: str,
                    says: str = "") -> KnownMistake:
    """Some rule's run from `start` raises `exception_type` ("KeyError": the missing keys not filled in), with
    `says`, a regular expression, found in what the error says (the exception's message, as the row shows it)."""
    def raised(session: Session, rule: Rule) -> bool:
        if not says:
            return exception_raised(lambda: run(session, kata, rule.name, start)) == exception_type
        try:
            run(session, kata, rule.name, start)
        except LearnerError as error:
            return error.exception_type == exception_type and re.search(says, error.summary) is not None
        except CheckFailed:
            pass
        return False
    return KnownMistake(name, explanation, lambda session: any(
        raised(session, rule) for rule in kata.rules if start in rule.starts))


def rule_speed(kata: UpdateRules, rule: str, shape: tuple, steps: int) -> Callable[[Session], Speed]:
    """The speed line: `steps` steps of `rule` from None at `shape`, the learner's value and state kept there."""
    def measure(session: Session) -> Speed:
        rng = session.rng("speed")
        held, drawn = kata.once(rng, shape), [kata.each_step(rng, shape) for _ in range(steps)]

        def run_learner() -> float:
            calls = []

            def learner(*arguments) -> tuple:
                calls.append(session.call(rule, *arguments, send=(), watch_inputs=False))
                return calls[-1].ref[0], calls[-1].ref[1]  # the value and state stay in the learner's process
            _feed(kata, held, drawn, None, learner)
            return sum(call.seconds for call in calls)
        workload = f"{steps} steps of {rule} on {kata.feeds or kata.arguments[0]} {'x'.join(map(str, shape))}"
        reference = getattr(session.reference, rule)
        return measure_speed(session, workload, lambda: _feed(kata, held, drawn, None, reference), run_learner)
    return measure


def growth_speed(kata: UpdateRules, rule: str, shape: tuple, history: Callable[[int], tuple[tuple, ...]],
                 lengths: tuple[int, int], what: str, unit: str, steps: int = 3) -> Callable[[Session], Speed]:
    """The speed line of a step whose cost may grow with the history behind it (a decoder's step with a cache).

    For each n of `lengths` (the shorter first): from None, the untimed calls history(n) (the shapes their
    each_step arguments are drawn at: a prompt of n positions), then `steps` timed steps at `shape`, the fastest
    kept, the learner's value and state kept in its process. The line shows the time after the longer history;
    `what`, formatted with n (the longer length), names the workload ("a one-token decode_step after {n}
    positions"), followed by how the learner's and the reference's step times grew from the shorter history to
    the longer (`unit` names what the lengths count). Learner code still running at its share of the time (as
    measure_speed's) is stopped: the line says so. Each learner call costs about 0.3 ms of messaging besides its
    own time, and that share is often the 10 ms floor: keep 2 * (len(history(n)) + steps) calls to about 10.
    """
    short, long = lengths

    def measure(session: Session) -> Speed:
        rng = session.rng("speed")
        held = kata.once(rng, shape)
        plans = {n: [kata.each_step(rng, each) for each in (*history(n), *(shape,) * steps)] for n in lengths}

        def fastest(call_step: Callable[[tuple], tuple[object, object, float]], n: int) -> float:
            times: list[float] = []

            def step(*arguments) -> tuple:
                value, state, seconds = call_step(arguments)
                times.append(seconds)
                return value, state
            _feed(kata, held, plans[n], None, step)
            return min(times[-steps:])

        def learner_step(arguments: tuple) -> tuple:
            call = session.call(rule, *arguments, send=(), watch_inputs=False)
            return call.ref[0], call.ref[1], call.seconds  # the value and state stay in the learner's process

        def reference_step(arguments: tuple) -> tuple:
            started = time.perf_counter()
            value, state = getattr(session.reference, rule)(*arguments)
            return value, state, time.perf_counter() - started

        # The learner first, as measure_speed: this process's BLAS threads would slow it down.
        limit = min(SPEED_LIMIT_SECONDS, max(LEARNER_FLOOR_SECONDS, (session.speed_deadline - time.perf_counter()) / 2))
        session.learner.limit_time(limit)
        try:
            learner, failed = {n: fastest(learner_step, n) for n in lengths}, None
        except LearnerError as error:
            learner, failed = None, error
        fastest(reference_step, short)  # warm-up
        reference = {n: fastest(reference_step, n) for n in lengths}
        workload = what.format(n=long)
        if failed is not None:
            return Speed(workload, None, reference[long], "not measured: your code failed" if failed.kind != "timeout"
                         else f"took over {limit * 1e3:.0f} ms (stopped there: the speed line may add only "
                              f"{SPEED_SHARE:.0%} to grading)")
        grew = {side: times[long] / times[short] for side, times in (("yours", learner), ("reference", reference))}
        return Speed(f"{workload}; from {short} to {long} {unit} your step's time grew {grew['yours']:.2g}x, "
                     f"the reference's {grew['reference']:.2g}x", learner[long], reference[long])
    return measure


def _number(value: object) -> str:
    number = real_scalar(value)
    return f"{number:g}" if number is not None else repr(value)
