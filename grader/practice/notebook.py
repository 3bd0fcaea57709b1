"""Grade a kata from a notebook: `import grader; grader.check("conv2d")`.

The learner's code still runs in a process of its own: nothing of the
notebook's kernel is handed to the sandbox. What the kernel holds is turned
back into source instead, and that source is graded as a file, exactly as
`python -m grader KATA --file FILE` grades one:

- the functions and classes the kata asks for, each from its own source
  (`inspect.getsource`: IPython keeps every cell in linecache), decorators
  included;
- then, transitively, every global name those sources use that the
  namespace binds to something source can rebuild: a function or class
  defined in the notebook (its source, the same way), a module
  (`import numpy as np`), a function, class or other object imported from a
  module (`from math import sqrt as root`), a plain constant (numbers,
  strings, bytes, None, and tuples, lists and dicts of them: `EPS = 1e-09`),
  or such a container that also names the notebook's functions and classes
  (a table of update rules, `RULES = {"sgd": sgd, "adam": adam}`).

Anything else the code uses (an array, a model instance, a function made
inside another function) is left out and named above the scorecard, so that
the NameError the grader then reports is explained; a function the kata asks
for that the notebook lacks is reported by the grader as in a file ("your
file has no function named ..."). Which names a definition uses is read
from Python's own scope analysis (`symtable`), not from every name in it: a
local variable that happens to share a name with something in the notebook
does not drag that thing, and its imports, into the graded module.

The module lists its imports first, then its constants, then the
definitions in the order their names first appeared in the namespace (a
definition whose decorator, base class or default value is another
definition comes after it, and a table after what it names).

A capstone (convnet, mlp_regression, tiny_gpt, mlp_classifier; nms, built
on iou) is built from other katas.
Each part whose functions the notebook defines is written beside the
capstone as `<part>.py`, rebuilt the same way: the capstone's training finds
the learner's optimizer there, as it finds katas/optimizers.py beside
katas/convnet.py, and the parts the capstone's code uses are graded first
(grader.practice.parts), as the command line grades the parts a capstone's
file imports; until they pass the scorecard says which to solve. Parts the
notebook imports from a workspace's katas package (`from katas.conv2d
import ...`) are imported by the rebuilt module too, and graded from their
files as the command line does. Nothing about the parts is remembered in the
progress file.
"""
from __future__ import annotations

import ast
import builtins
import inspect
import linecache
import math
import shutil
import symtable
import sys
import tempfile
import textwrap
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from rich.text import Text

from grader.checks.results import Report
from grader.grading.catalogue import kata_names, load_kata
from grader.grading.engine import INTERRUPTED, Gate, grade
from grader.practice import progress
from grader.practice.parts import parts_gate
from grader.reporting.scorecard import make_console, print_scorecard
from grader.reporting.training_bar import training_bar

#: What the module rebuilt from a namespace holds, in this order.
#: What a piece binds: an import, a plain constant, a def or class, or a container naming defs and classes (a
#: table of update rules), which comes among the definitions, after those it names.
_IMPORT, _CONSTANT, _DEFINITION, _TABLE = range(4)
_PLAIN = (int, float, complex, str, bytes, bool, type(None))
_MISSING = object()


def check(kata: str, *, namespace: dict | None = None, timeout: float | None = None,
          record: bool = False) -> Report:
    """Grade `kata`'s functions as the notebook defines them; show the scorecard; return the Report.

    `namespace` defaults to `sys.modules["__main__"].__dict__`: in Jupyter or IPython that is the
    notebook's own namespace (where its cells define things), and in a script run as `python script.py`
    the script's globals; it is not the calling frame's globals, which would be a helper module's when
    a course wraps this function. `timeout` is the time limit for the learner's code, by default the
    kata's own or grader.grading.engine.DEFAULT_TIMEOUT, as on the command line. With `record=True` the
    run is kept in the progress file (grader.practice.progress) as the command line keeps a run of
    katas/KATA.py; by default nothing is written. ValueError for an unknown kata or a timeout that is not
    a positive number of seconds.
    """
    names = kata_names()
    if kata not in names:
        raise ValueError(f"unknown kata {kata!r}; the katas are: {', '.join(names)}")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    spec = load_kata(kata)
    namespace = sys.modules["__main__"].__dict__ if namespace is None else namespace
    folder = Path(tempfile.mkdtemp(prefix=f"grader-notebook-{kata}-"))
    try:
        graded = rebuild_module(spec.functions, namespace, f"{kata}: the notebook's definitions that "
                                                            f"grader.check grades")
        path = folder / f"{kata}.py"
        path.write_text(graded.source, encoding="utf-8")
        parts = _write_parts(spec.depends_on, graded, namespace, folder)
        report = grade(spec, path, timeout=timeout, gate=_gate(parts) if spec.depends_on else None,
                       progress=training_bar)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # The temporary file is gone: the scorecard names where the code came from instead.
    report = replace(report, file=str(namespace.get("__file__") or "the notebook"))
    console = make_console()
    if graded.left_out:
        console.print(_left_out_note(graded.left_out))
    print_scorecard(report, console)
    if record and report.problem != INTERRUPTED:
        progress.record_grade(kata, report.status, report.score, report.max_score)
    return report


@dataclass(frozen=True)
class Rebuilt:
    """A module's source rebuilt from a namespace (see the module's docstring for what is taken)."""

    source: str
    #: Names bound to functions and classes defined in the namespace's own module, rebuilt from their source.
    definitions: frozenset[str]
    #: Names the rebuilt code uses (or the kata asks for) that the namespace binds to something source cannot
    #: rebuild, each with why.
    left_out: dict[str, str]


def rebuild_module(names: Iterable[str], namespace: dict, title: str) -> Rebuilt:
    """The source of a module holding `names` as `namespace` binds them, and what they use, transitively;
    `title` is its docstring."""
    pieces: dict[str, _Piece] = {}
    left_out: dict[str, str] = {}
    skipped = _ipython_names(namespace)
    pending = list(names)
    while pending:
        name = pending.pop(0)
        if name in pieces or name in left_out or name in skipped or name not in namespace \
                or name.startswith("__") and name.endswith("__"):  # the module's own __name__, __file__...
            continue
        value = namespace[name]
        if getattr(builtins, name, _MISSING) is value:  # the builtin itself: the module has it already
            continue
        try:
            piece = _piece(name, value, namespace)
        except Exception as error:  # noqa: BLE001 -- a learner's object that breaks when looked at
            piece = f"it could not be looked at ({type(error).__name__}: {error})"
        if isinstance(piece, str):
            left_out[name] = piece
            continue
        pieces[name] = piece
        pending += sorted(piece.uses)
    return Rebuilt(_module_text(title, pieces, list(namespace)),
                   frozenset(name for name, piece in pieces.items() if piece.kind == _DEFINITION), left_out)


# -- one name's piece of the module ------------------------------------------------

@dataclass(frozen=True)
class _Piece:
    """The statements that bind one name in the rebuilt module."""

    kind: int                          # _IMPORT, _CONSTANT, _DEFINITION or _TABLE
    text: str
    uses: frozenset[str] = frozenset()       # global names it refers to, when called or as it is defined
    needs_first: frozenset[str] = frozenset()  # those evaluated as it is defined: decorators, bases, defaults


def _piece(name: str, value: object, namespace: dict) -> _Piece | str:
    """How the rebuilt module binds `name` to `value`, or why it cannot."""
    home = namespace.get("__name__", "__main__")
    if inspect.ismodule(value):
        module = value.__name__
        if module == home or module == "__main__" or sys.modules.get(module) is not value:
            return f"a module that cannot be imported by its name, {module!r}"
        return _Piece(_IMPORT, f"import {module}" if module == name else f"import {module} as {name}")
    literal = _literal(value, ())
    if literal is not None:
        return _Piece(_CONSTANT, f"{name} = {literal}")
    if getattr(value, "__module__", None) == home and (inspect.isclass(value) or inspect.isfunction(value)):
        return _definition(name, value, namespace)
    imported = _import_of(name, value, home)
    if imported is not None:
        return _Piece(_IMPORT, imported)
    kind = type(value)
    if kind in (tuple, list, dict):
        # A table of the notebook's functions or classes ({"sgd": sgd, ...}) names them, as its source did.
        named: dict[int, str] = {}
        for other, bound in namespace.items():
            if other != name and (inspect.isfunction(bound) or inspect.isclass(bound)):
                named.setdefault(id(bound), other)
        used: set[str] = set()
        literal = _literal(value, (), named, used)
        if literal is not None:
            return _Piece(_TABLE, f"{name} = {literal}", frozenset(used), frozenset(used))
        return (f"a {kind.__name__} holding something other than plain constants and the notebook's functions "
                f"(or itself)")
    return f"a {kind.__module__}.{kind.__qualname__}"


def _literal(value: object, outer: tuple[int, ...], named: dict[int, str] | None = None,
             used: set[str] | None = None) -> str | None:
    """Python source for a plain constant (exact types only: a numpy float or an IntEnum is not one), or None;
    `outer` holds the ids of the containers it sits in. With `named` ({id: the name a function or class is
    bound to}), such an item is written as its name, which goes into `used`."""
    kind = type(value)
    if named is not None and id(value) in named and (inspect.isfunction(value) or inspect.isclass(value)):
        used.add(named[id(value)])
        return named[id(value)]
    if kind in (float, complex) and not all(map(math.isfinite, (value.real, value.imag))):
        return f"{kind.__name__}({str(value)!r})"  # repr gives `nan`, which is not Python source
    if kind in _PLAIN:
        return repr(value)
    if kind not in (tuple, list, dict) or id(value) in outer:  # a container holding itself has no literal
        return None
    inner = (*outer, id(value))
    if kind is dict:
        items = [(_literal(key, inner, named, used), _literal(item, inner, named, used))
                 for key, item in value.items()]
        if any(key is None or item is None for key, item in items):
            return None
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    items = [_literal(item, inner, named, used) for item in value]
    if any(item is None for item in items):
        return None
    if kind is list:
        return "[" + ", ".join(items) + "]"
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _import_of(name: str, value: object, home: str) -> str | None:
    """`from module import attribute as name` when `value` is that module's attribute (a function, a class,
    typing.Optional...), or None."""
    module = getattr(value, "__module__", None)
    if not isinstance(module, str) or module in (home, "__main__") or module not in sys.modules:
        return None
    for attribute in (getattr(value, "__name__", None), name):
        if isinstance(attribute, str) and attribute.isidentifier() \
                and getattr(sys.modules[module], attribute, _MISSING) is value:
            return f"from {module} import {attribute}" + ("" if attribute == name else f" as {name}")
    return None


def _definition(name: str, value: object, namespace: dict) -> _Piece | str:
    """The source of a function or class defined in the namespace's module, bound to `name`, or why not."""
    try:
        original = inspect.unwrap(value)  # a decorator's functools.wraps leads to the decorated def
    except ValueError:  # a __wrapped__ cycle
        original = value
    if "<locals>" in original.__qualname__:
        return (f"{original.__qualname__}, made inside another function (a decorator without "
                f"functools.wraps?): its source alone cannot rebuild it")
    source = _source_of(original, namespace)
    try:
        defines = _bound_name(ast.parse(source).body) if source is not None else None
    except SyntaxError:
        defines = None
    if defines is None:
        return "a function or class whose source cannot be found on its own (made by exec, or in a cell magic?)"
    uses, needs_first = _globals_used(source)
    if defines != name:  # bound under another name too: `iou = my_iou`
        if namespace.get(defines) is value:
            return _Piece(_DEFINITION, f"{name} = {defines}", frozenset({defines}), frozenset({defines}))
        source += f"\n{name} = {defines}\n"
    return _Piece(_DEFINITION, source, uses - {defines}, needs_first - {defines})


def _source_of(definition: object, namespace: dict) -> str | None:
    """The dedented source of a function or class (decorators included), or None."""
    try:
        return textwrap.dedent(inspect.getsource(definition))
    except (OSError, TypeError):
        pass
    if not inspect.isclass(definition):
        return None
    # A class defined in a notebook's cell: inspect looks for it in its module's file, which __main__ lacks
    # there. Its methods know their cell; a class without methods is looked for in the cells as run, last first.
    for attribute in vars(definition).values():
        function = getattr(attribute, "fget", None) or getattr(attribute, "__func__", attribute)
        with suppress(ValueError):  # a decorated method: the def's own code, in the class's cell
            function = inspect.unwrap(function)
        code = getattr(function, "__code__", None)
        if code is not None and getattr(function, "__qualname__", "").startswith(f"{definition.__qualname__}."):
            source = _class_in(linecache.getlines(code.co_filename), definition.__name__, code.co_firstlineno)
            if source is not None:
                return source
    cells = namespace.get("_ih")  # IPython's inputs, as run
    for cell in reversed(cells if isinstance(cells, list) else []):
        if isinstance(cell, str) and f"class {definition.__name__}" in cell:
            source = _class_in(cell.splitlines(keepends=True), definition.__name__, None)
            if source is not None:
                return source
    return None


def _class_in(lines: list[str], name: str, line: int | None) -> str | None:
    """The source of the last class `name` defined in `lines` (the one spanning `line`, if given), or None."""
    try:
        tree = ast.parse("".join(lines))
    except SyntaxError:
        return None
    candidates = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.name == name
                  and (line is None or node.lineno <= line <= (node.end_lineno or node.lineno))]
    if not candidates:
        return None
    last = max(candidates, key=lambda node: node.lineno)
    first = min([last.lineno, *(decorator.lineno for decorator in last.decorator_list)])
    return textwrap.dedent("".join(lines[first - 1:last.end_lineno]))


def _bound_name(statements: list[ast.stmt]) -> str | None:
    """The name a definition's source binds: a def or a class, or `name = lambda ...`; None for anything else."""
    if len(statements) != 1:
        return None
    statement = statements[0]
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return statement.name
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Lambda) \
            and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    return None


def _globals_used(source: str) -> tuple[frozenset[str], frozenset[str]]:
    """The global names `source` refers to, and those of them evaluated as it runs at module level (its
    decorators, default values, base classes, class bodies): Python's own scope analysis, so that locals,
    parameters and closures do not count."""
    uses: set[str] = set()
    needs_first: set[str] = set()

    def walk(table: symtable.SymbolTable, at_definition: bool) -> None:
        for symbol in table.get_symbols():
            if symbol.is_referenced() and symbol.is_global():
                uses.add(symbol.get_name())
                if at_definition:
                    needs_first.add(symbol.get_name())
        for child in table.get_children():  # a class body runs as it is defined; a function's body later
            walk(child, at_definition and child.get_type() == "class")

    walk(symtable.symtable(source, "<notebook>", "exec"), True)
    return frozenset(uses), frozenset(needs_first)


def _ipython_names(namespace: dict) -> set[str]:
    """Names IPython itself keeps in the notebook's namespace (In, Out, exit, its own open...): never the
    learner's definitions."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or getattr(shell, "user_ns", None) is not namespace:
        return set()
    return set(getattr(shell, "user_ns_hidden", ()))


def _module_text(title: str, pieces: dict[str, _Piece], order: list[str]) -> str:
    """Imports, constants, then definitions in namespace order, each after those it needs as it is defined."""
    position = {name: index for index, name in enumerate(order)}
    ordered = sorted(pieces, key=lambda name: (pieces[name].kind, position[name]))
    placed: list[str] = []

    def place(name: str, placing: frozenset[str]) -> None:
        if name in placed or name in placing or name not in pieces:  # a cycle cannot be defined anyway
            return
        for first in sorted(pieces[name].needs_first, key=lambda first: position.get(first, 0)):
            place(first, placing | {name})
        placed.append(name)

    for name in ordered:
        place(name, frozenset())
    blocks = [f'"""{title}."""']
    for kinds, separator in (((_IMPORT,), "\n"), ((_CONSTANT,), "\n"), ((_DEFINITION, _TABLE), "\n\n\n")):
        texts = [pieces[name].text.rstrip("\n") for name in placed if pieces[name].kind in kinds]
        if texts:
            blocks.append(separator.join(texts))
    return "\n\n\n".join(blocks) + "\n"


# -- a capstone's parts ------------------------------------------------------------

def _write_parts(depends_on: tuple[str, ...], capstone: Rebuilt, namespace: dict, folder: Path) -> dict[str, Path]:
    """Write `<part>.py` beside the capstone for each part whose functions the notebook defines; returns those
    the capstone's own code uses ({part: file}), which are graded first."""
    used = {}
    for part in depends_on:
        functions = load_kata(part).functions
        rebuilt = rebuild_module(functions, namespace, f"{part}: the notebook's definitions, a part of a capstone")
        if not rebuilt.definitions & set(functions):
            continue
        path = folder / f"{part}.py"
        path.write_text(rebuilt.source, encoding="utf-8")
        if capstone.definitions & set(functions):
            used[part] = path
    return used


def _gate(parts: dict[str, Path]) -> Gate:
    """The command line's gate for a capstone, given the notebook's parts the capstone uses beside those its
    module imports from a katas package; it remembers nothing in the progress file."""
    grade_parts = parts_gate()
    return lambda kata, imported: grade_parts(kata, {**parts, **imported})


def _left_out_note(left_out: dict[str, str]) -> Text:
    """What the graded code uses but was left out, and why: the NameError the scorecard may show, explained."""
    note = Text("Not taken from the notebook, so not defined where your code is graded (only functions, classes, "
                "imports and plain constants are: numbers, strings, None, and tuples, lists and dicts of them and "
                "of your functions and classes):\n", style="yellow")
    for name, why in left_out.items():
        note.append(f"  {name}: {why}\n")
    return note
