"""The pristine stub of a kata, and putting it back without losing the learner's work.

Installed from a wheel, the package holds every untouched stub
(grader.workspace.packaged_stubs): that is the pristine copy, git or no git.
In a checkout, katas/ is what the learner edits, so the untouched stub comes
from git: the committed katas/<kata>.py at HEAD, or, when the learner has
committed their own work over it, the newest earlier commit in which that
file is still a stub (every function only raises NotImplementedError); for a
workspace outside the checkout, the checkout's own katas/<kata>.py in git.
"""
from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

from grader.practice.files import backup_copy, write_atomically
from grader.workspace import checkout_katas, packaged_stubs

#: How far back in a file's history to look for its stub.
HISTORY_DEPTH = 200


class NoPristineStub(Exception):
    """No pristine stub could be found; the message says how to get one."""


def pristine_stub(path: Path) -> bytes:
    """The untouched stub for the learner's file at `path` (katas/<kata>.py): the installed package's, else
    from git (`path`'s history, then the checkout's katas/); NoPristineStub when there is none."""
    packaged = packaged_stubs()
    if packaged is not None and (packaged / path.name).is_file():
        return (packaged / path.name).read_bytes()
    try:
        return _stub_in_git(path)
    except NoPristineStub:
        own = checkout_katas()
        if own is None or path.resolve() == (own / path.name).resolve():
            raise
        return _stub_in_git(own / path.name)


def _stub_in_git(path: Path) -> bytes:
    """The untouched stub of `path` from git; NoPristineStub when git is missing, `path` is not in a git
    checkout, is not tracked, or no committed version is a stub."""
    directory, name = path.parent, path.name
    head = _git(directory, "show", f"HEAD:./{name}")
    if head is None:
        raise NoPristineStub(
            f"no pristine copy of {path.name} found: it is not tracked by git here "
            f"({directory}). To get the stub back, copy katas/{name} from a fresh copy of the project "
            f"(git clone, or the package you installed) over yours.")
    if is_stub(head):
        return head
    log = _git(directory, "log", f"-n{HISTORY_DEPTH}", "--format=%H", "--", name) or b""
    for commit in log.decode().split():
        source = _git(directory, "show", f"{commit}:./{name}")
        if source is not None and is_stub(source):
            return source
    raise NoPristineStub(
        f"no pristine copy of {path.name} found: every committed version of it in git is already "
        f"worked on. Copy katas/{name} from a fresh copy of the project over yours.")


def is_stub(source: bytes | str) -> bool:
    """Whether every function and method only raises NotImplementedError (after its docstring)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return bool(functions) and all(_only_raises_not_implemented(function) for function in functions)


def _only_raises_not_implemented(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return False
    raised = body[0].exc
    if isinstance(raised, ast.Call):
        raised = raised.func
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def restore_stub(path: Path, stub: bytes) -> Path | None:
    """Put `stub` at `path` (atomically: `path` always holds either the learner's file or the whole stub),
    keeping the learner's file as a backup first; returns the backup's path, or None when there was nothing
    to keep (no file, or already the stub)."""
    backup = None
    if path.exists():
        current = path.read_bytes()
        if current == stub:
            return None
        backup = backup_copy(path, current)
    write_atomically(path, stub)
    return backup


def _git(directory: Path, *args: str) -> bytes | None:
    """stdout of `git ARGS` run in `directory`, or None if git is missing or fails."""
    try:
        result = subprocess.run(["git", *args], cwd=directory, capture_output=True, timeout=20, check=False,
                                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None
