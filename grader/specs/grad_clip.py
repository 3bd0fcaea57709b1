"""grad_clip: clipping by the global L2 norm over a dict of arrays, nothing modified in place.

The functions template judges arrays and scalars, not a dict of arrays, so the rows are the kata's own, built on
its helpers (`arguments`, `returned`, `expected`). The standard "inputs not modified" row watches arrays passed as
arguments, not the arrays inside a dict: the grads dict is stored in the learner's process (`put`), clipped there,
and read back with its own `copy` method, which shows both a changed dict and a changed array; clearing the
returned dict and reading grads again shows whether grads itself was returned.
"""
import numpy as np

from grader.authoring.functions import Inputs, arguments, function_speed, returned
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.compare import compare_arrays, input_scale
from grader.checks.mistakes import matches
from grader.checks.returns import describe_value, expect_kind, expect_raises, expect_same, expect_tuple, tried

NAME = "clip_grad_norm"
_MLP = {"W1": (4, 6), "b1": (6,), "W2": (6, 3), "b2": (3,)}
_CONV = {"conv.w": (3, 2, 2, 2), "conv.b": (3,), "fc.w": (12, 5)}


def _norm(grads: dict) -> float:
    return float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))


def _inputs(label: str, shapes: dict, max_norm) -> Inputs:
    """N(0, 3^2) arrays of `shapes` (a norm of 10 or more: PyTorch's 1e-6 in the denominator is then below the
    agreement rule), and max_norm a number or a function of their total norm."""
    def draw(rng):
        grads = {name: 3 * rng.standard_normal(shape) for name, shape in shapes.items()}
        return {"grads": grads, "max_norm": max_norm(_norm(grads)) if callable(max_norm) else max_norm}
    return Inputs(label, draw)


CASES = (_inputs("an MLP's 4 arrays, max_norm 5", _MLP, 5.0),
         _inputs("conv and linear arrays, max_norm 0.9 of the norm", _CONV, lambda norm: 0.9 * norm))
BELOW = _inputs("an MLP's 4 arrays, max_norm twice the norm", _MLP, lambda norm: 2 * norm)
ONE = _inputs("one array 7x5, max_norm 1", {"w": (7, 5)}, 1.0)
EMPTY = Inputs("an empty dict", {"grads": {}, "max_norm": 1.0})
REFUSED = (Inputs("max_norm 0", {"grads": {"w": np.ones((2, 3))}, "max_norm": 0.0}),
           Inputs("max_norm -1", {"grads": {"w": np.ones((2, 3))}, "max_norm": -1.0}))


def _answer(session, inputs: Inputs, repeat: int = 0) -> tuple[dict, float]:
    """The learner's (clipped, total_norm), each checked to be of its kind: a dict with the keys of grads,
    each an array of that key's shape, and a real scalar."""
    grads = arguments(session, inputs)["grads"]
    clipped, norm = expect_tuple(returned(session, NAME, inputs, repeat).value, NAME, ("clipped", "total_norm"))
    if not isinstance(clipped, dict) or set(clipped) != set(grads):
        got = f"keys {sorted(clipped)}" if isinstance(clipped, dict) else describe_value(clipped)
        raise CheckFailed(f"{inputs.label}: clipped must be a dict with the keys of grads, {sorted(grads)}; got {got}")
    for key, g in grads.items():
        expect_kind(clipped[key], f"clipped[{key!r}]", g.shape, " (the shape of grads' array)", f"{inputs.label}: ")
    return clipped, expect_kind(norm, "total_norm", None, where=f"{inputs.label}: ")


def expected(session, inputs: Inputs) -> dict:
    """{"clipped": ..., "total_norm": ...}, the reference's."""
    return session.memo(("expected", NAME, inputs.label), lambda: dict(zip(
        ("clipped", "total_norm"), session.reference_call(NAME, *arguments(session, inputs).values()))))


def _shapes(session) -> None:
    for inputs in CASES:
        _answer(session, inputs)


def _values(session, cases=CASES, why: str = "") -> bool:
    for inputs in cases:
        (clipped, norm), (right, right_norm) = _answer(session, inputs), expected(session, inputs).values()
        for name, got, want in (("total_norm", norm, right_norm), *((f"clipped[{k!r}]", clipped[k], right[k])
                                                                   for k in right)):
            mismatch = compare_arrays(name, want, got, input_scale(*arguments(session, inputs)["grads"].values()))
            if mismatch:
                raise CheckFailed.from_mismatch(f"{why}{inputs.label}: {mismatch.describe()}", mismatch)
    return True



def _probe(session, inputs: Inputs) -> str:
    """What clip_grad_norm did to a grads dict kept in the learner's process: "" when nothing."""
    def run() -> str:
        grads, max_norm = arguments(session, inputs).values()
        stored = session.learner.put(grads, "grads")
        with session.about(inputs.label):
            call = session.call(NAME, stored, max_norm)
            after = session.call(stored.attr("copy")).value
        changed = sorted(set(grads) ^ set(after)) or [k for k in grads if not (isinstance(after[k], np.ndarray)
                                                      and np.array_equal(after[k], grads[k]))]
        if changed:
            return f"{inputs.label}: grads[{changed[0]!r}] changed in place (or the dict's keys did)"
        if isinstance(call.value, (tuple, list)) and call.value and isinstance(call.value[0], dict) and grads:
            session.call(call.ref[0].attr("clear"))
            if not session.call(stored.attr("copy")).value:
                return f"{inputs.label}: the clipped dict returned is grads itself"
        return ""
    return session.memo(("probe", inputs.label), run)


def _not_modified(session) -> None:
    for inputs in (*CASES, BELOW):
        if problem := _probe(session, inputs):
            raise CheckFailed(f"{problem}: build a new dict of new arrays ({{k: g * scale for k, g in "
                              f"grads.items()}}); never scale the caller's arrays with *= or assign into grads")


def _deterministic(session) -> None:
    first, second = (_answer(session, CASES[0], repeat) for repeat in (0, 1))
    expect_same(*({"total_norm": norm, **clipped} for clipped, norm in (first, second)), f"{CASES[0].label}: {NAME}")


def _empty(session) -> None:
    clipped, norm = expect_tuple(returned(session, NAME, EMPTY).value, NAME, ("clipped", "total_norm"))
    if clipped != {} or expect_kind(norm, "total_norm", None, where=f"{EMPTY.label}: ") != 0.0:
        raise CheckFailed(f"{EMPTY.label}: expected ({{}}, 0.0), got ({describe_value(clipped)}, {norm!r})")


def _raises(session) -> None:
    for inputs in REFUSED:
        expect_raises(lambda: returned(session, NAME, inputs, about=False), "ValueError", inputs.label,
                      f"{NAME} returned normally (a max_norm <= 0 has no meaning: raise ValueError)")


SHAPE = "clip_grad_norm returns (dict of arrays, float)"
CHECKS = (
    Check(SHAPE, "shape", _shapes),
    Check("total_norm and clipped values", "value", lambda s: _values(s) and None, needs=(SHAPE,)),
    Check("below max_norm: unchanged", "edge", lambda s: _values(s, (BELOW,), "clipping never scales up: ") and None,
          needs=(SHAPE,)),
    Check("one array", "edge", lambda s: _values(s, (ONE,)) and None, needs=(SHAPE,)),
    Check("empty dict: ({}, 0.0)", "edge", _empty),
    Check("max_norm <= 0 raises ValueError", "edge", _raises),
    Check("grads not modified, a new dict returned", "behaviour", _not_modified, runs_last=True),
    Check("deterministic", "behaviour", _deterministic, needs=(SHAPE,)),
)


def _mistake(name: str, explanation: str, buggy) -> KnownMistake:
    """buggy(grads, max_norm) -> (clipped, total_norm), judged on every case and the edge below max_norm."""
    def triples(session):
        for inputs in (*CASES, BELOW, ONE):
            got = tried(lambda: _answer(session, inputs))
            if got is None:
                continue
            mistaken, right = buggy(**arguments(session, inputs)), expected(session, inputs)
            yield mistaken[1], got[1], right["total_norm"]
            yield from ((mistaken[0][k], got[0][k], right["clipped"][k]) for k in right["clipped"])
    return KnownMistake(name, explanation, lambda session: matches(triples(session)))


def _scaled(grads: dict, factor) -> dict:
    return {k: g * factor(g) for k, g in grads.items()}


MISTAKES = (
    _mistake("per-array norms", "Each of your arrays is clipped by its own norm: the norm is ONE norm over every "
             "element of every array, sqrt(sum over k of sum(grads[k]**2)), and one factor scales them all.",
             lambda grads, max_norm: (_scaled(grads, lambda g: min(1.0, max_norm / np.linalg.norm(g))), _norm(grads))),
    _mistake("clipping always", "Your gradients are scaled by max_norm / total_norm even when the norm is below "
             "max_norm, which scales them UP: scale only when total_norm > max_norm.",
             lambda grads, max_norm: (_scaled(grads, lambda g: max_norm / _norm(grads)), _norm(grads))),
    _mistake("norm after clipping returned", "Your total_norm is the norm after clipping (at most max_norm): return "
             "the norm of grads before clipping, what a training log wants to see.",
             lambda grads, max_norm: (_scaled(grads, lambda g: min(1.0, max_norm / _norm(grads))),
                                      min(_norm(grads), max_norm))),
    KnownMistake("arrays scaled in place", "Your clip_grad_norm scales the caller's arrays in place (g *= scale, or "
                 "grads[k] = ...), as torch's clip_grad_norm_ does to .grad: this one must leave grads as it was and "
                 "return a new dict, {k: g * scale for k, g in grads.items()}.",
                 lambda session: "changed in place" in _probe(session, CASES[0])
                 and bool(tried(lambda: _values(session)))),
)

KATA = Kata(
    name="grad_clip", title="gradient clipping by the global norm over a dict of arrays", functions=(NAME,),
    checks=CHECKS, mistakes=MISTAKES,
    speed=function_speed("clip_grad_norm on a 3-layer MLP's 6 arrays (535k elements)", (NAME, _inputs(
        "speed", {"W1": (784, 512), "b1": (512,), "W2": (512, 256), "b2": (256,), "W3": (256, 10), "b3": (10,)},
        10.0))),
    hints=("The norm is of all the gradients together, one long vector, not of each array; and clipping only "
           "ever shrinks.",
           "Sum the squares of every array, take one square root, and if that norm exceeds max_norm multiply every "
           "array by the same factor, building a new dict.",
           "total_norm = sqrt(sum_k sum(g_k**2)); clipped_k = g_k * min(1, max_norm / total_norm)."),
)
