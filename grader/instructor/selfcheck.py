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

import importlib
import inspect
from pathlib import Path

from grader.grading.catalogue import kata_names, load_kata
from grader.grading.engine import grade

ROOT = Path(__file__).resolve().parents[2]


def check_catalogue(root: Path = ROOT) -> list[str]:
    """Every problem found, one sentence each; an empty list means the catalogue is sound."""
    problems = []
    names = kata_names()
    for folder in ("katas", "solutions"):
        for path in sorted((root / folder).glob("*.py")):
            if path.stem != "__init__" and path.stem not in names:
                problems.append(f"{folder}/{path.name} has no spec in grader/specs/ (not registered)")
    for name in names:
        problems.extend(f"{name}: {problem}" for problem in check_kata(name, root))
    return problems


def check_kata(name: str, root: Path = ROOT) -> list[str]:
    """The problems of one kata."""
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
    stub_module = importlib.import_module(f"katas.{name}")
    problems += compare_definitions(kata, stub_module, importlib.import_module(kata.reference_module))
    problems += _states_the_agreement_rule(kata, stub_module)
    reference = grade(kata, reference_path)
    if not reference.passed:
        failed = [check.name for check in reference.checks if not check.passed]
        problems.append(f"the reference fails its own checks: {', '.join(failed)}")
    stub = grade(kata, stub_path)
    held_back = kata.depends_on and all(check.outcome == "not run" for check in stub.checks)
    if stub.status != "not started" and not held_back:
        problems.append(f"the stub is not 'not started' but {stub.status} ({stub.score}/{stub.max_score})")
    problems += _mistakes_caught(kata, root)
    return problems


def compare_definitions(kata, stub, reference) -> list[str]:
    """Stub and reference modules define exactly the kata's functions (or classes), each with the
    same signature and the same, non-empty, docstring -- methods of classes included."""
    def public(module) -> dict:
        return {key: value for key, value in vars(module).items() if not key.startswith("_")
                and (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == module.__name__}

    problems = []
    stub_defs, reference_defs = public(stub), public(reference)
    for missing in sorted(set(kata.functions) - set(stub_defs)):
        problems.append(f"the stub does not define {missing}")
    for missing in sorted(set(kata.functions) - set(reference_defs)):
        problems.append(f"the reference does not define {missing}")
    if set(stub_defs) != set(reference_defs):
        problems.append(f"stub and reference define different names: {sorted(set(stub_defs) ^ set(reference_defs))}")
    for extra in sorted((set(stub_defs) & set(reference_defs)) - set(kata.functions)):
        problems.append(f"{extra} is defined but not among the spec's functions")
    for key in sorted(set(stub_defs) & set(reference_defs)):
        for attribute, a, b in _definition_parts(key, stub_defs[key], reference_defs[key]):
            if a != b:
                problems.append(f"{attribute} differs between stub and reference")
            elif attribute.startswith("the docstring") and not a:
                problems.append(f"{attribute} is missing")
    return problems


def _states_the_agreement_rule(kata, stub) -> list[str]:
    """Every function's "What is graded" states the contract's agreement rule, its absolute floor included
    (a function may refer to a sibling's statement of it: "by the agreement rule of conv2d_forward")."""
    problems = []
    for name in kata.functions:
        doc = inspect.getdoc(getattr(stub, name, None)) or ""
        graded = doc.partition("What is graded")[2]
        if not graded:
            problems.append(f"the docstring of {name} has no 'What is graded' paragraph")
        elif "1e-10" not in graded and "agreement rule" not in graded and "agreement as in" not in graded:
            problems.append(f"the docstring of {name} does not state the agreement rule (1e-6 relative, "
                            f"1e-10 * s absolute) in its 'What is graded'")
    return problems


def _definition_parts(key: str, stub, reference):
    """(what, stub's, reference's) for a function, or a class and each of its methods."""
    yield f"the docstring of {key}", inspect.getdoc(stub), inspect.getdoc(reference)
    yield f"the signature of {key}", str(inspect.signature(stub)), str(inspect.signature(reference))
    if inspect.isclass(stub):
        for method in sorted(set(vars(stub)) | set(vars(reference))):
            a, b = vars(stub).get(method), vars(reference).get(method)
            if inspect.isfunction(a) or inspect.isfunction(b):
                yield from _definition_parts(f"{key}.{method}", a or (lambda: None), b or (lambda: None))


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
            diagnosed = [name for name, _ in grade(kata, path).diagnoses]
            if mistake.name not in diagnosed:
                problems.append(f"known mistake '{mistake.name}' is not recognised on {path.name} "
                                f"(diagnosed: {diagnosed or 'nothing'})")
    return problems


def main() -> int:
    """Print the problems (or that there are none); exit status 1 when there are any."""
    problems = check_catalogue()
    if not problems:
        print(f"catalogue OK: {len(kata_names())} katas, every reference passes, every stub is not started")
        return 0
    print(f"{len(problems)} problem(s) in the catalogue:")
    for problem in problems:
        print(f"  - {problem}")
    return 1
