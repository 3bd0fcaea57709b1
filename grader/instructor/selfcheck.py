"""`python -m grader check`: is the catalogue honest? (rustlings' `dev check`, for katas)

For every kata: its spec loads and declares checks and three tiers of hints;
stub and reference define the same functions and classes, with the same
signatures and docstrings; the reference passes every check through the very
path that grades learners; the untouched stub fails as "not started" (a
capstone's stub may instead be held back by its unsolved parts); and each
known mistake is recognised on the variants in tests/learners/<kata>/ that
name it on their second line (`# diagnosis: <mistake>`). Files in katas/ or
solutions/ without a spec are reported too.
"""
from __future__ import annotations

import ast
import functools
import gc
import os
import signal
from collections.abc import Callable
from pathlib import Path

from grader.grading.catalogue import kata_names, load_kata
from grader.grading.engine import grade
from grader.instructor.variants import graded_path
from grader.sandbox.blas_threads import start_with_one_thread

ROOT = Path(__file__).resolve().parents[2]


def check_catalogue(root: Path = ROOT, names: list[str] | None = None, variants: bool = True,
                    workers: int = 1) -> list[str]:
    """Every problem found, one sentence each; an empty list means the catalogue is sound.

    `names` limits the check to those katas (default: all, and the files of
    katas/ and solutions/ without a spec); without `variants`, the known
    mistakes' variants are not graded (the test suite grades them itself).
    `workers` processes check katas side by side (see `_side_by_side`).
    """
    problems = []
    if names is None:
        names = kata_names()
        for folder in ("katas", "solutions"):
            for path in sorted((root / folder).glob("*.py")):
                if path.stem != "__init__" and path.stem not in names:
                    problems.append(f"{folder}/{path.name} has no spec in grader/specs/ (not registered)")
    found = _side_by_side(functools.partial(check_kata, root=root, variants=variants), names, workers)
    for name, problems_of_kata in zip(names, found):
        problems.extend(f"{name}: {problem}" for problem in problems_of_kata)
    return problems


def _side_by_side(function: Callable[[str], list[str]], names: list[str], workers: int) -> list[list[str]]:
    """function(name) for each of `names`, in their order: here, or on `workers` processes of their own.

    A grading run keeps a core busy only about two thirds of its time (it waits on the learner's processes
    while they work, and they on it), so two katas checked at once finish sooner on two cores. Each worker is
    a fresh interpreter (spawned, not forked: it starts the learner's processes from a launcher of its own,
    where a fork would share this process's) with one BLAS thread, as `python -m grader` has.
    """
    workers = min(workers, len(names))
    if workers < 2:
        return [function(name) for name in names]
    import multiprocessing  # noqa: PLC0415 -- only the catalogue's self-check runs workers

    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_start_worker)
    try:
        return pool.map(function, names, chunksize=1)
    except KeyboardInterrupt:  # Ctrl-C: raised again below, once the pool is gone
        pass
    finally:  # done, or Ctrl-C: the workers end now (their launchers then end the learner's processes)
        pool.terminate()
        pool.join()
    # Free the pool's semaphores before `python -m grader` leaves without tearing down (os._exit), which would
    # leave the resource tracker warning of leaks: the interruption's traceback no longer holds the pool here.
    del pool
    gc.collect()
    raise KeyboardInterrupt


def _start_worker() -> None:
    """A self-check worker: Ctrl-C is for the process that started it, which ends it; one BLAS thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    start_with_one_thread()


def check_kata(name: str, root: Path = ROOT, variants: bool = True) -> list[str]:
    """The problems of one kata: its stub and reference are read from `root`'s katas/ and solutions/."""
    try:
        kata = load_kata(name)
    except Exception as exc:  # noqa: BLE001 -- a broken spec is exactly what this reports
        return [f"the spec does not load ({type(exc).__name__}: {exc})"]
    problems = []
    if not kata.checks:
        problems.append("the spec declares no checks")
    if len(kata.hints) != 3:
        problems.append(f"needs three tiers of hints (nudge, approach, key formula), has {len(kata.hints)}")
    stub_path, reference_path = root / "katas" / f"{name}.py", root / "solutions" / f"{name}.py"
    missing = [f"{path.relative_to(root)} is missing" for path in (stub_path, reference_path) if not path.is_file()]
    if missing:
        return problems + missing
    try:
        stub, reference = definitions(stub_path), definitions(reference_path)
    except SyntaxError as error:
        return problems + [f"{Path(error.filename or '').name} does not parse: {error.msg} (line {error.lineno})"]
    problems += compare_definitions(kata, stub, reference)
    problems += _states_the_agreement_rule(kata, stub)
    with graded_path(kata, reference_path, root / "solutions") as graded_file:  # a capstone's parts beside it
        graded = grade(kata, graded_file, extras=False)  # the verdict alone: no diagnoses, no speed line
    if not graded.passed:
        failed = [check.name for check in graded.checks if not check.passed]
        problems.append(f"the reference fails its own checks: {', '.join(failed)}")
    graded = grade(kata, stub_path, extras=False)
    held_back = kata.depends_on and all(check.outcome == "not run" for check in graded.checks)
    if graded.status != "not started" and not held_back:
        problems.append(f"the stub is not 'not started' but {graded.status} ({graded.score}/{graded.max_score})")
    if variants:
        problems += _mistakes_caught(kata, root)
    return problems


def definitions(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """The public functions and classes a module's source defines: {name: {part: (docstring, signature)}},
    the part "" being the definition itself and the others a class's methods.

    Read from the source, not imported: a stub is compared as written, whatever
    the katas it imports are in the middle of.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            parts = {"": _described(node)}
            if isinstance(node, ast.ClassDef):
                parts.update({f".{item.name}": _described(item) for item in node.body
                              if isinstance(item, ast.FunctionDef)})
            found[node.name] = parts
    return found


def _described(node: ast.FunctionDef | ast.ClassDef) -> tuple[str, str]:
    signature = f"({ast.unparse(node.args)})" if isinstance(node, ast.FunctionDef) else ""
    return ast.get_docstring(node) or "", signature


def compare_definitions(kata, stub: dict, reference: dict) -> list[str]:
    """Stub and reference (their `definitions`) define exactly the kata's functions (or classes), each
    with the same signature and the same, non-empty, docstring -- methods of classes included."""
    problems = []
    for missing in sorted(set(kata.functions) - set(stub)):
        problems.append(f"the stub does not define {missing}")
    for missing in sorted(set(kata.functions) - set(reference)):
        problems.append(f"the reference does not define {missing}")
    if set(stub) != set(reference):
        problems.append(f"stub and reference define different names: {sorted(set(stub) ^ set(reference))}")
    for extra in sorted((set(stub) & set(reference)) - set(kata.functions)):
        problems.append(f"{extra} is defined but not among the spec's functions")
    for key in sorted(set(stub) & set(reference)):
        for part in sorted(set(stub[key]) | set(reference[key])):
            (doc_a, signature_a), (doc_b, signature_b) = (side.get(part, ("", None)) for side in (stub[key], reference[key]))
            what = f"{key}{part}"
            if doc_a != doc_b:
                problems.append(f"the docstring of {what} differs between stub and reference")
            elif not doc_a:
                problems.append(f"the docstring of {what} is missing")
            if signature_a != signature_b:
                problems.append(f"the signature of {what} differs between stub and reference")
    return problems


def _states_the_agreement_rule(kata, stub: dict) -> list[str]:
    """Every function's "What is graded" states the contract's agreement rule, its absolute floor included
    (a function may refer to a sibling's statement of it: "by the agreement rule of conv2d_forward")."""
    problems = []
    for name in kata.functions:
        doc = stub.get(name, {}).get("", ("", ""))[0]
        graded = doc.partition("What is graded")[2]
        if not graded:
            problems.append(f"the docstring of {name} has no 'What is graded' paragraph")
        elif "1e-10" not in graded and "agreement rule" not in graded and "agreement as in" not in graded:
            problems.append(f"the docstring of {name} does not state the agreement rule (1e-6 relative, "
                            f"1e-10 * s absolute) in its 'What is graded'")
    return problems


def _mistakes_caught(kata, root: Path) -> list[str]:
    problems = []
    variants = {}
    for path in sorted((root / "tests" / "learners" / kata.name).glob("*.py")):
        lines = path.read_text().splitlines()
        if len(lines) > 1 and lines[1].startswith("# diagnosis:"):
            variants.setdefault(lines[1].partition(":")[2].strip(), []).append(path)
    for mistake in kata.mistakes:
        if mistake.name not in variants:
            problems.append(f"known mistake '{mistake.name}' has no variant in tests/learners/{kata.name}/ "
                            "naming it ('# diagnosis: ...' on the second line)")
            continue
        for path in variants[mistake.name]:
            with graded_path(kata, path, root / "solutions") as graded:
                diagnosed = [name for name, _ in grade(kata, graded, speed_line=False).diagnoses]
            if mistake.name not in diagnosed:
                problems.append(f"known mistake '{mistake.name}' is not recognised on {path.name} "
                                f"(diagnosed: {diagnosed or 'nothing'})")
    return problems


def main(names: list[str] | None = None) -> int:
    """Print the problems of the catalogue (or of the katas `names`), or that there are none; exit
    status 1 when there are any."""
    problems = check_catalogue(names=names or None, workers=os.cpu_count() or 1)
    if not problems:
        checked = f"{len(names)} of {len(kata_names())}" if names else f"{len(kata_names())}"
        print(f"catalogue OK: {checked} katas, every reference passes, every stub is not started")
        return 0
    print(f"{len(problems)} problem(s) in the catalogue:")
    for problem in problems:
        print(f"  - {problem}")
    return 1
