"""`python -m grader init DIR`: a practice workspace, made from the installed package.

DIR/katas/ receives every kata's untouched stub (grader.practice.stubs), and
DIR the workspace's marker (grader.workspace.MARKER); every command then
works in DIR and in any folder below it. A file already there is never
overwritten: init run again adds only the katas that are new.
"""
from __future__ import annotations

from pathlib import Path

from grader.grading.catalogue import kata_names
from grader.practice.files import write_atomically
from grader.practice.stubs import NoPristineStub, pristine_stub
from grader.workspace import MARKER, checkout_katas, packaged_stubs


def make_workspace(directory: Path) -> tuple[list[Path], list[Path]]:
    """Write every kata's stub into directory/katas/ (and the marker); (written, kept: already there).
    NoPristineStub if the untouched stubs cannot be found; OSError if the folder cannot be written."""
    katas = directory / "katas"
    stubs = {name: _untouched(name) for name in ["__init__", *kata_names()]}  # all found before any is written
    katas.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for name, stub in stubs.items():
        target = katas / f"{name}.py"
        if target.exists():
            kept.append(target)
            continue
        write_atomically(target, stub)
        written.append(target)
    marker = directory / MARKER
    if not marker.exists():
        marker.write_text("A practice workspace of `python -m grader` (made by `python -m grader init`).\n")
    return written, kept


def _untouched(name: str) -> bytes:
    """The untouched katas/<name>.py: the installed package's, or a checkout's from git."""
    source = packaged_stubs() or checkout_katas()
    if source is None:
        raise NoPristineStub("the installed package holds no stubs (a broken install?): reinstall it")
    if name == "__init__":  # the package marker of katas/, so that a capstone's `from katas.x import` works
        init = source / "__init__.py"
        return init.read_bytes() if init.is_file() else b""
    return pristine_stub(source / f"{name}.py")
