"""Which katas exist, and where their files are.

A kata is registered by a spec module `grader/specs/<name>.py` defining `KATA`;
its stub is `katas/<name>.py` and its reference `solutions/<name>.py` (in an
installed wheel: grader/stubs, grader/references; see grader.workspace).
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING

from grader import specs
from grader import workspace

if TYPE_CHECKING:  # a spec's import brings the rest: listing the katas must stay cheap (the pytest plugin)
    from grader.authoring.kata import Kata


def kata_names() -> list[str]:
    """Names of all katas, sorted."""
    return sorted(module.name for module in pkgutil.iter_modules(specs.__path__) if not module.name.startswith("_"))


def load_kata(name: str) -> Kata:
    """The Kata declared in grader/specs/<name>.py (KeyError if there is none)."""
    if name not in kata_names():
        raise KeyError(name)
    return importlib.import_module(f"grader.specs.{name}").KATA


def learner_file(name: str) -> Path:
    """The learner's file for a kata: katas/<name>.py in the workspace holding the current directory
    (grader.workspace); NoWorkspace if there is none."""
    return workspace.root() / "katas" / f"{name}.py"


def closest_kata(typed: str) -> str | None:
    """The kata a mistyped name most likely means: tab completion's katas/conv2d.py, Conv2d, conv, conv_2d,
    a student's Conv2D_v2.py; None if none is close."""
    names = kata_names()
    stem = Path(typed).stem if typed.endswith(".py") else Path(typed).name
    plain = stem.lower().replace("-", "_")
    if plain in names:
        return plain
    squashed = {name.replace("_", ""): name for name in names}
    if plain.replace("_", "") in squashed:
        return squashed[plain.replace("_", "")]
    starting = [name for name in names if plain and name.startswith(plain)]
    if len(starting) == 1:
        return starting[0]
    import difflib  # noqa: PLC0415 -- only for a name that is no kata

    close = difflib.get_close_matches(plain, names, n=1, cutoff=0.6)
    return close[0] if close else None


def survey(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """A folder of kata files (a student's submission): {kata: its file}, and what else is there, said (a
    misnamed file with the kata it likely means, unless that kata's file is there too)."""
    names = set(kata_names())
    # A package's marker and Python's cache are no submission's content: katas/ and solutions/ have both.
    entries = [entry for entry in sorted(folder.iterdir()) if entry.name not in ("__pycache__", "__init__.py")]
    files = {entry.stem: entry for entry in entries
             if entry.is_file() and entry.suffix == ".py" and entry.stem in names}
    problems = []
    for entry in entries:
        if entry.stem in files and files[entry.stem] == entry:
            continue
        if entry.is_file() and entry.suffix == ".py":
            meant = closest_kata(entry.name)
            problems.append(f"{entry.name} is not a kata's file name" +
                            (f" (is it {meant}.py?)" if meant and meant not in files else "") + ": not graded")
        else:
            problems.append(f"{entry.name}{'/' if entry.is_dir() else ''} is not a kata's file: not graded")
    return files, problems
