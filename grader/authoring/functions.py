"""Checks for katas of functions, values in and values out, built from declared `Function`s.

A function kata (iou, softmax, a loss returning (loss, gradient)) declares each function: its name, what it returns
(`Value`s: arrays of a stated shape, real scalars, or plain data of a `kind`: a list of ints, of int pairs, a str,
compared exactly, or a dict of arrays; a loss's gradient says which scalar it differentiates) and the random inputs it
is graded on. `function_checks` builds the rows:

    shape      each returned value: an array of its shape, or a real scalar
    value      each value against the reference's, on the random inputs
    gradient   each gradient value: against the reference's and against central differences of the learner's own
               scalar, every element
    edge       each declared `Edge`: its calls' values (the reference's, or stated ones), finite and without
               warnings where promised, and the `Property`s it states ("every entry >= 0")
    behaviour  no argument modified by any call of any row; deterministic

Every learner call on one `Inputs` runs once and is shared by the rows (Session.memo). A known mistake is a buggy copy
of a function (`function_mistake`), matched by grader.checks.mistakes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np

from grader.authoring.kata import Check, CheckFailed, KnownMistake
from grader.checks.compare import agree, compare_arrays, input_scale
from grader.checks.gradcheck import STEP, central_difference
from grader.checks.gradients import Numerical, judge_gradient
from grader.checks.mistakes import matches
from grader.checks.results import GROUPS, Speed
from grader.checks.returns import (describe_value, exception_raised, expect_clean, expect_kind, expect_raises,
                                   expect_same, expect_tuple, real_scalar, tried)
from grader.checks.session import Session
from grader.checks.speed import time_calls
from grader.sandbox.process import Returned


@dataclass(frozen=True)
class Inputs:
    """One call's arguments: `arguments` by name in call order (a dict, or a function of a seeded Generator that draws
    it), and keyword arguments. `label` names the configuration in messages and must be unique among a function's
    inputs."""

    label: str
    arguments: dict | Callable[[np.random.Generator], dict]
    keywords: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Value:
    """One value a function returns.

    `shape` is an argument's name (the value has that argument's shape), a function of the arguments giving the shape,
    or None for a real scalar (a float or a 0-d array). A gradient names `of`, the scalar value it differentiates, and
    `wrt`, the argument: it is checked against central differences of the learner's own scalar (a scalar argument,
    a bias given as a float, is moved as a 0-d float64 array). `shape_row` renames the value's shape row ("iou
    returns a float"), `values_row` its values row (two functions returning a "w"). A `listed` value may also come
    as a list or tuple of real numbers, taken as a 1-D float array (a history of losses).

    A `kind` makes it another thing than a numeric array (its `shape` is then unused, but for "dict"):
        "ints"       a 1-D integer array (`listed`: or a list or tuple of ints) of any length: the length is the
                     data's (nms's keep), so a wrong count fails the values row, not the shape row
        "int pairs"  a list or tuple of (int, int) pairs (bpe's merges)
        "str"        a str
        "dict"       a dict with the keys of argument `shape`, each a numeric array of that key's shape there,
                     each compared by the agreement rule (grad_clip's clipped)
    The first three are compared by exact equality; a difference is told at its first position, with the lengths.
    `why` ends a wrong-kind message (what the value holds, what it is not).
    """

    name: str
    shape: str | Callable[[dict], tuple[int, ...]] | None = None
    of: str | None = None
    wrt: str | None = None
    shape_row: str = ""
    values_row: str = ""
    listed: bool = False
    kind: str = ""
    why: str = ""

    @property
    def scalar(self) -> bool:
        return self.shape is None and not self.kind

    @property
    def exact(self) -> bool:
        """Compared by exact equality (plain data), not by the agreement rule."""
        return self.kind in EXACT

    @property
    def row(self) -> str:
        """The name of this value's shape row."""
        return self.shape_row or (f"{self.name} is {KINDS[self.kind]}" if self.kind else
                                  f"{self.name} is a real scalar" if self.scalar else f"{self.name} shape")

    @property
    def value_row(self) -> str:
        """The name of this value's values row."""
        return self.values_row or f"{self.name} values"


#: What a value of each kind is, in messages and row names.
KINDS = {"ints": "a 1-D integer array", "int pairs": "a list of (int, int) pairs", "str": "a str",
         "dict": "a dict of arrays"}
EXACT = ("ints", "int pairs", "str")


class Property(NamedTuple):
    """A property an edge's calls must show: `test(value, arguments)` of value `value` is True (a bool, or a boolean
    array true everywhere); `words` say it ("every entry >= 0")."""

    value: str
    test: Callable[[object, dict], object]
    words: str


class Factor(NamedTuple):
    """A classic mistake that makes `values` (names, space-separated) `factor` times the right ones: a number, or a
    function of the quantities (a factor of 1 is no mistake). Its `words` end such a value's mismatch message."""

    values: str
    factor: float | Callable[[dict], float]
    words: str


@dataclass(frozen=True)
class Function:
    """A function of the kata, declaratively.

    Attributes:
        name: the learner's function.
        returns: its values; one is returned bare, several as a tuple in this order.
        cases: the random inputs of the shape, value, gradient and behaviour rows.
        quantities: what a constant ratio between got and expected may be named after, from the arguments
            ({"N": 6, "C": 5}).
        hint: a classic mistake's words for a mismatch of one value,
            hint(value name, expected, got, arguments) -> " (...)" or "".
        factors: the `Factor`s a mismatch is tried for before `hint`; the first that fits speaks.
        deterministic: whether the deterministic row calls it twice (a function that another one's determinism
            vouches for may be left out).
    """

    name: str
    returns: tuple[Value, ...]
    cases: tuple[Inputs, ...]
    quantities: Callable[[dict], dict[str, float]] = lambda arguments: {}
    hint: Callable[[str, object, object, dict], str] = lambda name, expected, got, arguments: ""
    factors: tuple[Factor, ...] = ()
    deterministic: bool = True

    def value(self, name: str) -> Value:
        return next(value for value in self.returns if value.name == name)

    def hint_for(self, name: str, expected, got, arguments: dict) -> str:
        """What a mismatch of value `name` ends with: the words of the first factor `got` is off by, else `hint`'s."""
        quantities = self.quantities(arguments)
        for values, factor, words in self.factors:
            factor = factor(quantities) if callable(factor) else factor
            if name in values.split() and factor != 1 and agree(factor * np.asarray(expected), got):
                return f" ({words})"
        return self.hint(name, expected, got, arguments)


@dataclass(frozen=True)
class Edge:
    """An edge case: one row that makes `calls`, each (function name, Inputs).

    Each call's values must agree with `expect[value name]` (a number every element must equal, a kind's whole
    value, or a function of the arguments giving it) or else the reference's (not at all with `compare` False);
    each of `holds`, a `Property`, must hold of its value; with `clean` (how to make it stable; a dict gives it per
    function), they must be finite and the call free of warnings; with `gradient`, gradients get the full check.
    `why` heads a failure's message; `first`, a check of the kata's own, runs before the standard ones (a capped
    loss is news before its digits). With `raises`
    ("ValueError"), each call must raise that instead, and `if_returned(arguments)` says why returning normally is
    wrong. The row needs the shape rows of the functions it calls, and `needs` besides.
    """

    name: str
    calls: tuple[tuple[str, Inputs], ...]
    expect: dict[str, float] = field(default_factory=dict)
    clean: str | dict[str, str] = ""
    gradient: bool = False
    why: str = ""
    first: Callable[[Session], None] | None = None
    raises: str = ""
    if_returned: Callable[[dict], str] = lambda arguments: ""
    needs: tuple[str, ...] = ()
    holds: tuple[Property, ...] = ()
    compare: bool = True

    def clean_hint(self, function: str) -> str:
        return self.clean.get(function, "") if isinstance(self.clean, dict) else self.clean


def function_checks(functions: tuple[Function, ...], edges: tuple[Edge, ...] = (),
                    extra: tuple[Check, ...] = (), prefix: str = "") -> tuple[Check, ...]:
    """The standard rows for `functions`, the `edges`, and the kata's own `extra` rows, in scorecard order;
    `prefix` starts the behaviour rows' names, for a kata that has a layer's too ("causal_mask deterministic")."""
    by_name = {function.name: function for function in functions}
    declared = [(function, value) for function in functions for value in function.returns]
    rows = [Check(value.row, "shape", lambda s, f=function, v=value: _shape_row(s, f, v))
            for function, value in declared]
    rows += [Check(value.value_row, "value", lambda s, f=function, v=value: _values_row(s, f, v),
                   needs=(value.row,)) for function, value in declared]
    rows += [Check(f"gradient {value.name}", "gradient",
                   lambda s, f=function, v=value: _first_note(expect_gradient(s, f, inputs, v) for inputs in f.cases),
                   needs=(function.value(value.of).row, value.row)) for function, value in declared if value.of]
    for edge in edges:
        shapes = () if edge.raises else (value.row for name, _ in edge.calls for value in by_name[name].returns)
        rows.append(Check(edge.name, "edge", lambda s, e=edge: _edge_row(s, by_name, e),
                          needs=tuple(dict.fromkeys((*shapes, *edge.needs)))))
    rows.append(Check(prefix + "inputs not modified", "behaviour", lambda s: _not_modified(s, functions),
                      runs_last=True))
    twice = tuple(function for function in functions if function.deterministic)
    rows.append(Check(prefix + "deterministic", "behaviour", lambda s: _deterministic(s, twice),
                      needs=tuple(value.row for function in twice for value in function.returns)))
    return tuple(sorted(rows + list(extra), key=lambda check: GROUPS.index(check.group)))


# -- one call, the learner's and the reference's, each made once ----------------

def arguments(session: Session, inputs: Inputs) -> dict:
    """The call's arguments, drawn once per label."""
    if not callable(inputs.arguments):
        return inputs.arguments
    return session.memo(("arguments", inputs.label, inputs.arguments),
                        lambda: inputs.arguments(session.rng("inputs", inputs.label)))


def returned(session: Session, function: str, inputs: Inputs, repeat: int = 0, about: bool = True) -> Returned:
    """The learner's call of `function` on `inputs` (`repeat` > 0: another call, for determinism); an
    error it raises names `inputs` unless `about` is False (the message names them already)."""
    def call() -> Returned:
        with session.about(inputs.label if about else ""):
            return session.call(function, *arguments(session, inputs).values(), **inputs.keywords)
    return session.memo(("call", function, inputs.label, repeat), call)


def values(session: Session, function: Function, inputs: Inputs, names: tuple[str, ...] | None = None,
           repeat: int = 0) -> dict[str, object]:
    """{value name: the learner's value} of the values in `names` (default: all), each checked to be of its
    declared kind and shape; a scalar comes back as a float, an "ints" as a list of ints, "int pairs" as a list
    of tuples."""
    got, args = _raw(session, function, inputs, repeat), arguments(session, inputs)
    where, said = f"{inputs.label}: ", f"{function.name} returned"
    return {name: _of_kind(got[name], function.value(name), args, where, said) if function.value(name).kind else
            expect_kind(got[name], name, *_declared_shape(function.value(name), args), where=where, got=said)
            for name in names or tuple(got)}


def _raw(session: Session, function: Function, inputs: Inputs, repeat: int = 0) -> dict[str, object]:
    """{value name: the learner's value as returned} (a `listed` one as an array when it is a list of numbers)."""
    value = returned(session, function.name, inputs, repeat).value
    declared = tuple(value.name for value in function.returns)
    got = dict(zip(declared, (value,) if len(declared) == 1 else expect_tuple(value, function.name, declared)))
    got.update({name: _as_listed(got[name]) for name in declared
                if function.value(name).listed and not function.value(name).kind})
    return got


def _as_listed(value: object) -> object:
    """A list or tuple of real numbers as a 1-D float array; anything else as it is."""
    if not isinstance(value, (list, tuple)):
        return value
    numbers = [real_scalar(item) for item in value]
    return value if any(number is None for number in numbers) else np.array(numbers, dtype=np.float64)


def _is_int(x: object) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _plain(value: object, kind: str, listed: bool = True) -> object:
    """`value` as the plain data of `kind` (a list of ints, a list of int tuples, a str), or None when it is not."""
    if kind == "str":
        return value if isinstance(value, str) else None
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "iu" or value.ndim != (1 if kind == "ints" else 2) or \
                (kind == "int pairs" and value.shape[1] != 2):
            return None
        value = value.tolist()
    elif not listed or not isinstance(value, (list, tuple)):
        return None
    if kind == "ints":
        return [int(x) for x in value] if all(_is_int(x) for x in value) else None
    pairs = all(isinstance(p, (list, tuple, np.ndarray)) and len(p) == 2 and all(_is_int(x) for x in p) for p in value)
    return [(int(a), int(b)) for a, b in value] if pairs else None


def _of_kind(value: object, declared: Value, args: dict, where: str, said: str) -> object:
    """The learner's `value` of a `kind`, checked and made plain (a dict's arrays checked for their shapes)."""
    if declared.kind == "dict":
        keys = args[declared.shape]
        if not isinstance(value, dict) or set(value) != set(keys):
            what = f"a dict with keys {sorted(value)}" if isinstance(value, dict) else describe_value(value)
            raise CheckFailed(f"{where}{declared.name} must be a dict with the keys of {declared.shape}, "
                              f"{sorted(keys)}; {said} {what}{declared.why}")
        return {key: expect_kind(value[key], f"{declared.name}[{key!r}]", np.shape(keys[key]),
                                 f" (the shape of {declared.shape}[{key!r}])", where) for key in keys}
    plain = _plain(value, declared.kind, declared.listed or declared.kind != "ints")
    if plain is None:
        what = KINDS[declared.kind] + (" (or a list of ints)" if declared.kind == "ints" and declared.listed else "")
        shown = describe_value(value) if isinstance(value, np.ndarray) or value is None else _show(value)
        raise CheckFailed(f"{where}{declared.name} must be {what}; {said} {shown}{declared.why}")
    return plain


def _show(value: object) -> str:
    text = repr(value)
    return f"{describe_value(value)[2:]} {text if len(text) < 80 else text[:77] + '...'}"


def _exact_mismatch(name: str, expected: object, got: object) -> str | None:
    """How plain data `got` differs from `expected`: its first differing position, and the lengths; None if equal."""
    if expected == got:
        return None
    if isinstance(expected, str) and len(expected) + len(got) < 120:
        return f"{name} is {got!r}, expected {expected!r}"
    i = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), min(len(expected), len(got)))
    noun = ("character", "characters") if isinstance(expected, str) else ("entry", "entries")
    lengths = f"{len(got)} {noun[len(got) != 1]}, expected {len(expected)}" if len(got) != len(expected) else ""
    if i == min(len(expected), len(got)):
        text = f"{name} has {lengths}" + (f": the first extra is {got[i]!r}" if len(got) > i else
                                          f": the first missing is {expected[i]!r}")
    else:
        text = f"{name}[{i}] is {got[i]!r}, expected {expected[i]!r}" + (f"; {lengths}" if lengths else "")
    short = len(repr(expected)) + len(repr(got)) < 120
    return text + (f" ({name} {got!r}, expected {expected!r})" if short and not isinstance(expected, str) else "")


def expected(session: Session, function: Function, inputs: Inputs) -> dict[str, object]:
    """{value name: the reference's value}."""
    def compute():
        result = session.reference_call(function.name, *arguments(session, inputs).values(), **inputs.keywords)
        return _made_plain(function, dict(zip((value.name for value in function.returns),
                                              (result,) if len(function.returns) == 1 else result)))
    return session.memo(("expected", function.name, inputs.label), compute)


def _made_plain(function: Function, found: dict[str, object]) -> dict[str, object]:
    """The reference's (or a buggy copy's) values, those of an exact kind as plain data, to be compared with the
    learner's."""
    return {name: _plain(value, function.value(name).kind) if function.value(name).exact else value
            for name, value in found.items()}


def scale(session: Session, inputs: Inputs) -> float:
    """The agreement rule's s for a call: the largest magnitude among its arguments (a dict's arrays included)."""
    return input_scale(*(item for a in arguments(session, inputs).values()
                         for item in (a.values() if isinstance(a, dict) else (a,))))


def _declared_shape(declared: Value, args: dict) -> tuple[tuple[int, ...] | None, str]:
    """The value's shape on these arguments (None: a real scalar), and why it has that shape."""
    if isinstance(declared.shape, str):
        return np.shape(args[declared.shape]), f" (the shape of {declared.shape})"
    return None if declared.scalar else tuple(declared.shape(args)), ""


# -- comparisons --------------------------------------------------------------

def expect_values(session: Session, function: Function, inputs: Inputs, names: tuple[str, ...] | None = None,
                  stated: dict[str, object] | None = None, why: str = "") -> None:
    """The learner's values (or those in `names`) agree with the reference's, or with `stated` ones (a number every
    element equals, a kind's whole value, or a function of the arguments giving the value)."""
    got, args = values(session, function, inputs, names), arguments(session, inputs)
    right = expected(session, function, inputs)
    for name in got:
        declared, want = function.value(name), right[name]
        if stated and name in stated:
            want = stated[name](args) if callable(stated[name]) else stated[name]
            want = _made_plain(function, {name: want})[name] if declared.exact else \
                want if declared.kind else np.full(np.shape(right[name]), want) if np.ndim(want) == 0 else want
        if declared.exact:
            mismatch = _exact_mismatch(name, want, got[name])
            if mismatch:
                raise CheckFailed(f"{why}{inputs.label}: {mismatch}{function.hint_for(name, want, got[name], args)}")
            continue
        pairs = ((f"{name}[{key!r}]", want[key], got[name][key]) for key in want) if declared.kind == "dict" else \
            ((name, want, got[name]),)
        for shown, expected_value, got_value in pairs:
            mismatch = compare_arrays(shown, np.asarray(expected_value, dtype=np.float64), np.asarray(got_value),
                                      scale(session, inputs), lambda: function.quantities(args))
            if mismatch:
                hint = function.hint_for(name, want, got[name], args)
                raise CheckFailed.from_mismatch(f"{why}{inputs.label}: {mismatch.describe()}{hint}", mismatch)


def expect_holds(session: Session, function: Function, inputs: Inputs, holds: tuple[Property, ...],
                 why: str = "") -> None:
    """Each `Property` of `holds` about this function's values holds of the learner's value; a boolean array's
    first false entry is named."""
    args = arguments(session, inputs)
    for name, test, words in holds:
        if name not in {value.name for value in function.returns}:
            continue
        value = values(session, function, inputs, (name,))[name]
        verdict = np.asarray(test(value, args))
        if not verdict.all():
            at = tuple(int(i) for i in np.argwhere(~verdict)[0]) if verdict.ndim else ()
            element = f"{name}[{', '.join(map(str, at))}] = {np.asarray(value)[at]!r}" if at else name
            raise CheckFailed(f"{why}{inputs.label}: {words} does not hold ({element})")


def expect_gradient(session: Session, function: Function, inputs: Inputs, value: Value) -> str | None:
    """The gradient triad for `value`: against the reference's gradient and against central differences
    of the learner's own scalar `value.of`, at every element of `value.wrt`."""
    names = [returned.name for returned in function.returns]
    got, args = values(session, function, inputs, (value.name, value.of)), arguments(session, inputs)
    # A scalar argument (a bias b given as a float) is moved as a 0-d float64 array, which numpy code takes alike.
    moved = {name: np.asarray(a, dtype=np.float64) if name == value.wrt and not isinstance(a, np.ndarray) else a
             for name, a in args.items()}
    with session.about(f"{inputs.label}, at {value.wrt} moved for numerical gradients"):
        outputs, _ = session.learner.perturbed_outputs(
            function.name, tuple(moved.values()), inputs.keywords, wrt=list(args).index(value.wrt),
            indices=np.arange(np.size(args[value.wrt])), h=STEP, item=names.index(value.of) if len(names) > 1 else None)
    if outputs.shape[2:] != ():
        raise CheckFailed(f"{inputs.label}: {value.of} has shape {outputs.shape[2:]}; it must be a scalar to be "
                          f"differentiated")
    right, s = expected(session, function, inputs), scale(session, inputs)
    return judge_gradient(value.name, np.asarray(got[value.name], dtype=np.float64),
                          np.asarray(right[value.name], dtype=np.float64),
                          Numerical.everywhere(central_difference(outputs, np.array(1.0), STEP)),
                          forward_right=agree(right[value.of], got[value.of], s), label=inputs.label, scale=s,
                          quantities=function.quantities(args), forward=value.of,
                          hint=function.hint_for(value.name, right[value.name], got[value.name], args))


def _first_note(notes) -> str | None:
    notes = list(notes)
    return next((note for note in notes if note), None)


# -- the rows -----------------------------------------------------------------

def _shape_row(session: Session, function: Function, value: Value) -> None:
    for inputs in function.cases:
        values(session, function, inputs, (value.name,))


def _values_row(session: Session, function: Function, value: Value) -> None:
    for inputs in function.cases:
        expect_values(session, function, inputs, (value.name,))


def _edge_row(session: Session, functions: dict[str, Function], edge: Edge) -> str | None:
    if edge.first is not None:
        edge.first(session)
    if edge.raises:
        for name, inputs in edge.calls:
            why = edge.if_returned(arguments(session, inputs))
            expect_raises(lambda: returned(session, name, inputs, about=False), edge.raises, inputs.label,
                          f"{name} returned normally" + (f" ({why})" if why else ""))
        return None
    notes = []
    for name, inputs in edge.calls:
        function, clean = functions[name], edge.clean_hint(name)
        got = _numeric(function, values(session, function, inputs))
        if clean:
            expect_clean(returned(session, name, inputs).warnings, got, f"{name} on {inputs.label}", clean)
        expect_holds(session, function, inputs, edge.holds, why=edge.why)
        if edge.compare:
            expect_values(session, function, inputs, stated=edge.expect, why=edge.why)
        if edge.gradient:
            notes += [expect_gradient(session, function, inputs, value) for value in function.returns if value.of]
    return _first_note(notes)


def _not_modified(session: Session, functions: tuple[Function, ...]) -> None:
    """No call of any row changed an argument: every function is called on every case, then its calls judged."""
    for function in functions:
        for inputs in function.cases:
            tried(lambda: returned(session, function.name, inputs), stops=True)
    session.check_inputs_unmodified(tuple(function.name for function in functions))


def _deterministic(session: Session, functions: tuple[Function, ...]) -> None:
    """Each function twice on its first case gives the same values."""
    for function in functions:
        inputs = function.cases[0]
        first, second = (values(session, function, inputs, repeat=repeat) for repeat in (0, 1))
        for name in (name for name in first if function.value(name).exact and first[name] != second[name]):
            raise CheckFailed(f"{inputs.label}: {function.name} gave a different {name} for the same inputs")
        expect_same(_numeric(function, first), _numeric(function, second), f"{inputs.label}: {function.name}")


def _numeric(function: Function, found: dict[str, object]) -> dict[str, object]:
    """`found` values as numbers: a dict's arrays each on its own ("clipped['w']"), plain data left out."""
    flat = {}
    for name, value in found.items():
        kind = function.value(name).kind
        if kind == "dict":
            flat.update({f"{name}[{key!r}]": array for key, array in value.items()})
        elif not kind:
            flat[name] = value
    return flat


# -- known mistakes and speed -------------------------------------------------

def function_mistake(function: Function, name: str, explanation: str, buggy: Callable,
                     cases: tuple[Inputs, ...] = (), judged: tuple[str, ...] = (),
                     any_shape: bool = False) -> KnownMistake:
    """A known mistake given as a buggy copy of `function`: buggy(reference, *arguments, **keywords)
    returns what the mistake returns. Judged on the function's cases and `cases` (on inputs the reference
    refuses, any answer is telling), by the values `judged` (default: all); a case the learner's code
    fails some other way (a raise, a wrong shape) is left out; with `any_shape`, a value of another shape than
    the declared one is judged as it is (a mistake of another shape: components as columns)."""
    names = judged or tuple(value.name for value in function.returns)

    def triples(session: Session):
        for inputs in function.cases + cases:
            got = tried(lambda: values(session, function, inputs, names))
            if got is None and any_shape:
                got = tried(lambda: _raw(session, function, inputs))
            if got is None:
                continue
            args = [np.copy(a) if isinstance(a, np.ndarray) else a for a in arguments(session, inputs).values()]
            mistaken = buggy(session.reference, *args, **inputs.keywords)
            mistaken = _made_plain(function, dict(zip((value.name for value in function.returns),
                                                      (mistaken,) if len(function.returns) == 1 else mistaken)))
            try:
                right = expected(session, function, inputs)
            except Exception:  # noqa: BLE001 -- the reference refuses these inputs, as the contract says
                right = {}
            for value in names:
                if function.value(value).kind == "dict" and isinstance(got[value], dict):
                    yield from ((mistaken[value][key], got[value].get(key), right.get(value, {}).get(key))
                                for key in mistaken[value])
                elif function.value(value).kind == "str":  # as code points: judged as numbers are
                    yield tuple(None if text is None else np.array([ord(c) for c in str(text)], dtype=np.int64)
                                for text in (mistaken[value], got[value], right.get(value)))
                else:
                    yield mistaken[value], got[value], right.get(value)
    return KnownMistake(name, explanation, lambda session: matches(triples(session)))


def answered(session: Session, function: Function, cases: tuple[Inputs, ...], name: str) -> list[tuple]:
    """(the learner's value `name`, the reference's, the arguments) on each of `cases` where the learner's
    code answers with a value of the right kind: for a mistake judged on a statistic of the answers."""
    found = (tried(lambda: (values(session, function, inputs, (name,))[name],
                            expected(session, function, inputs)[name], arguments(session, inputs)))
             for inputs in cases)
    return [answer for answer in found if answer is not None]


def raised(session: Session, function: str, inputs: Inputs) -> str | None:
    """The type of the exception the learner's call raised (its name), or None."""
    return exception_raised(lambda: returned(session, function, inputs))


def function_speed(workload: str, *calls: tuple[str, Inputs]) -> Callable[[Session], Speed]:
    """The speed line: `calls` (function name, Inputs) one after another, learner vs reference."""
    return lambda session: time_calls(session, workload, [
        (name, tuple(arguments(session, inputs).values()), inputs.keywords) for name, inputs in calls])
