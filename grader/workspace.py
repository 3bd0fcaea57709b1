"""Where the learner practises, and where the untouched katas come from.

A workspace is a folder holding `katas/`: a clone of this project, or one
made by `python -m grader init DIR` from the installed package (it holds the
MARKER file too). Every command finds it from the current directory or any
folder below it, so that `katas/` itself, or a notes folder beside it, works
as well as the root; the progress file lives at its root.

The package comes in two forms:

    a checkout (a clone, installed editable or not)   katas/ and solutions/ beside grader/; katas/ is the
                                                      checkout's own workspace, its stubs are in git
    an installed wheel                                the stubs and the references inside the package
                                                      (grader/stubs, grader/references): nothing under
                                                      generic top-level names in site-packages
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

#: The file `init` writes at a workspace's root.
MARKER = ".grader-workspace"
#: The grader's own folder, and the folder that holds it (a checkout's root, or site-packages).
_GRADER_DIR = Path(__file__).resolve().parent
_CHECKOUT = _GRADER_DIR.parent


class NoWorkspace(Exception):
    """No workspace here or above; the message says how to make one."""


def is_checkout() -> bool:
    """Whether this grader runs from a checkout of the project (its references in solutions/ beside it)."""
    return (_CHECKOUT / "solutions" / "__init__.py").is_file() and (_CHECKOUT / "katas").is_dir()


def references_package() -> str:
    """The import name of the references' package: `solutions` in a checkout (its root put on sys.path, so
    that it imports from any folder), `grader.references` in an installed wheel."""
    if is_checkout():
        if str(_CHECKOUT) not in sys.path:
            sys.path.append(str(_CHECKOUT))
        return "solutions"
    return "grader.references"


def checkout_katas() -> Path | None:
    """A checkout's katas/ folder (its stubs tracked by git); None in an installed wheel."""
    return _CHECKOUT / "katas" if is_checkout() else None


def packaged_stubs() -> Path | None:
    """The folder of untouched stubs shipped in an installed wheel; None in a checkout, whose katas/ is the
    learner's own work (its untouched stubs are in git)."""
    folder = _GRADER_DIR / "stubs"
    return None if is_checkout() or not folder.is_dir() else folder


def find_root(start: Path | None = None) -> Path | None:
    """The workspace holding `start` (default: the current directory): the nearest folder, `start` or above,
    with the MARKER or a katas/ folder; None if there is none."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file() or _holds_katas(folder / "katas"):
            return folder
    return None


def root() -> Path:
    """The workspace holding the current directory; NoWorkspace, saying how to make one, if there is none."""
    found = find_root()
    if found is None:
        raise NoWorkspace(f"no katas/ folder in {_shown(Path.cwd())} or above it: make a practice workspace with "
                          f"`python -m grader init DIR`, then work in DIR (or grade a file with --file PATH)")
    return found


def _holds_katas(folder: Path) -> bool:
    """A katas/ folder of ours: it holds a .py file (a learner's own unrelated `katas` folder rarely does,
    and then it is theirs to point --file at)."""
    try:
        return folder.is_dir() and any(entry.suffix == ".py" for entry in folder.iterdir())
    except OSError:
        return False


def _shown(path: Path) -> str:
    home = Path.home()
    return f"~{os.sep}{path.relative_to(home)}" if path.is_relative_to(home) and path != home else str(path)
