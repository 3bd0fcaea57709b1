"""grad_clip: clipping by the global L2 norm over a dict of arrays, nothing modified in place.

clipped is a "dict" value of the functions template (the keys of grads, each array compared by the agreement rule).
The template's "inputs not modified" row watches arrays passed as arguments, not the arrays inside a dict, so this
kata's own row replaces it: the grads dict is stored in the learner's process (`put`), clipped there, and read back
with its own `copy` method, which shows both a changed dict and a changed array; clearing the returned dict and
reading grads again shows whether grads itself was returned.
"""
from dataclasses import replace

import numpy as np

from grader.authoring.functions import Edge, Function, Inputs, Value, arguments, expect_values, function_checks, \
    function_mistake, function_speed
from grader.authoring.kata import CheckFailed, Kata, KnownMistake
from grader.checks.returns import tried

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


CLIP = Function(NAME, (Value("clipped", "grads", kind="dict", shape_row="clipped is a dict of arrays"),
                      Value("total_norm")), CASES)
EDGES = (Edge("below max_norm: unchanged", ((NAME, BELOW),), why="clipping never scales up: "),
         Edge("one array", ((NAME, ONE),)),
         Edge("empty dict: ({}, 0.0)", ((NAME, EMPTY),)),
         Edge("max_norm <= 0 raises ValueError", tuple((NAME, inputs) for inputs in REFUSED), raises="ValueError",
              if_returned=lambda args: "a max_norm <= 0 has no meaning: raise ValueError"))


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


#: The template's row would watch only max_norm: this kata's own, on the cases and below max_norm, replaces it.
CHECKS = tuple(replace(check, name="grads not modified, a new dict returned", run=_not_modified)
               if check.name == "inputs not modified" else check for check in function_checks((CLIP,), EDGES))


def _mistake(name: str, explanation: str, buggy) -> KnownMistake:
    """buggy(grads, max_norm) -> (clipped, total_norm), judged on every case, below max_norm and on one array."""
    return function_mistake(CLIP, name, explanation, lambda reference, *args: buggy(*args), (BELOW, ONE))


def _scaled(grads: dict, factor) -> dict:
    return {k: g * factor(g) for k, g in grads.items()}


MISTAKES = (
    _mistake("per-array norms", "Each of your arrays is clipped by its own norm: the norm is ONE norm over every "
             "element of every array, sqrt(sum over k of sum(grads[k]**2)), and one factor scales them all.",
             lambda grads, max_norm: (_scaled(grads, lambda g: min(1.0, max_norm / np.linalg.norm(g))), _norm(grads))),
    _mistake("norm without the square root",
             "Your total_norm is the sum of squares, without the square root: total_norm = sqrt(sum over k of "
             "sum(grads[k]**2)).",
             lambda grads, max_norm: (_scaled(grads, lambda g: min(1.0, max_norm / _norm(grads) ** 2)),
                                      _norm(grads) ** 2)),
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
                 and tried(lambda: [expect_values(session, CLIP, inputs) for inputs in CASES]) is not None),
)

KATA = Kata(
    name="grad_clip", title="gradient clipping by the global norm over a dict of arrays", functions=(NAME,),
    checks=CHECKS, mistakes=MISTAKES,
    # About a millisecond of the reference's time: a larger net spends the speed line on sending its arrays.
    speed=function_speed("clip_grad_norm on a 3-layer MLP's 6 arrays (134k elements)", (NAME, _inputs(
        "speed", {"W1": (392, 256), "b1": (256,), "W2": (256, 128), "b2": (128,), "W3": (128, 10), "b3": (10,)},
        10.0))),
    hints=("The norm is of all the gradients together, one long vector, not of each array; and clipping only "
           "ever shrinks.",
           "Sum the squares of every array, take one square root, and if that norm exceeds max_norm multiply every "
           "array by the same factor, building a new dict.",
           "total_norm = sqrt(sum_k sum(g_k**2)); clipped_k = g_k * min(1, max_norm / total_norm)."),
)
