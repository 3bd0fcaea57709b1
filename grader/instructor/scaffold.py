"""`python -m grader new NAME`: the files of a new kata, ready to fill in.

Writes katas/NAME.py (the stub), solutions/NAME.py (the reference, with the
same docstring) and grader/specs/NAME.py (a Layer spec skeleton with hints),
and makes tests/learners/NAME/ for its variants. Refuses to overwrite.
"""
from __future__ import annotations

import keyword
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_DOCSTRING = '''    """{title}, forward pass.

    TODO: the full spec, in the learner's words: what the function computes,
    the formula that matters, conventions (axes, padding, reductions), edge
    cases, and that inputs must not be modified.

    Inputs:
    - x: Input data of shape (N, D)

    Returns a tuple of:
    - out: Output data of shape (N, D)
    - cache: Anything you like; it is only handed back to {name}_backward

    What is graded: TODO -- list exactly the rows of grader/specs/{name}.py
    (shapes, values against the reference, gradients against the reference
    and numerical gradients, edge cases, inputs not modified, determinism).
    """
'''
_BACKWARD_DOCSTRING = '''    """{title}, backward pass.

    Inputs:
    - dout: Upstream derivatives, of shape (N, D)
    - cache: Whatever {name}_forward returned

    Returns:
    - dx: Gradient with respect to x, of shape (N, D)
    """
'''
_STUB = '''"""Kata {name}: {title}.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader {name}
"""

import numpy as np  # noqa: F401  (you will need it)


def {name}_forward(x):
{forward_doc}    raise NotImplementedError("{name}_forward: not started")


def {name}_backward(dout, cache):
{backward_doc}    raise NotImplementedError("{name}_backward: not started")
'''
_REFERENCE = '''"""Reference solution for the {name} kata."""

import numpy as np


def {name}_forward(x):
{forward_doc}    out = x.copy()  # TODO: the reference forward
    return out, None


def {name}_backward(dout, cache):
{backward_doc}    return dout.copy()  # TODO: the reference backward
'''
_SPEC = '''"""{name}: {title}."""
from grader.authoring.kata import Kata
from grader.authoring.layer import Case, Edge, Layer, layer_checks, layer_speed

# Cases: small inputs, so numerical gradients cover every element quickly.
LAYER = Layer(
    forward="{name}_forward",
    backward="{name}_backward",
    inputs=("x",),
    cases=(
        Case("N = 4, D = 5", {{"x": (4, 5)}}),
        Case("N = 2, D = 3", {{"x": (2, 3)}}),
    ),
    edges=(
        Edge("N = 1", Case("one sample", {{"x": (1, 5)}}), why="TODO: the rule this edge probes"),
    ),
    speed_case=Case("speed", {{"x": (128, 256)}}),  # about a millisecond of the reference's time
)

KATA = Kata(
    name="{name}",
    title="{title}",
    functions=("{name}_forward", "{name}_backward"),
    checks=layer_checks(LAYER),
    speed=layer_speed(LAYER),
    hints=(
        "TODO: a nudge: where to look, no formula.",
        "TODO: the approach: the steps and the shapes.",
        "TODO: the key formula.",
    ),
    mistakes=(),  # layer_mistake(LAYER, name, explanation, forward=... or gradients=...) per known mistake
)
'''


def scaffold(name: str, title: str = "", root: Path = ROOT, reserved: set[str] = frozenset()) -> list[Path]:
    """Write the new kata's files; returns them. ValueError for a bad or taken name, or one of
    `reserved` (the command line's words)."""
    if not name.isidentifier() or keyword.iskeyword(name) or name != name.lower() or name.startswith("_"):
        raise ValueError(f"{name!r} is not a valid kata name: use lower_case letters, digits and _")
    if name in reserved:  # the command line uses these words for something else
        raise ValueError(f"{name!r} is a command of the grader; choose another name")
    title = title or name.replace("_", " ")
    files = {root / folder / f"{name}.py": template
             for folder, template in (("katas", _STUB), ("solutions", _REFERENCE), ("grader/specs", _SPEC))}
    taken = [path for path in files if path.exists()]
    if taken:
        raise ValueError(f"kata {name!r} exists already: {', '.join(str(p.relative_to(root)) for p in taken)}")
    fields = {"name": name, "title": title}
    fields.update(forward_doc=_DOCSTRING.format(**fields), backward_doc=_BACKWARD_DOCSTRING.format(**fields))
    for path, template in files.items():
        path.write_text(template.format(**fields))
    variants = root / "tests" / "learners" / name
    variants.mkdir(parents=True, exist_ok=True)
    return [*files, variants]
