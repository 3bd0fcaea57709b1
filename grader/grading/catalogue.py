"""Which katas exist, and where their files are.

A kata is registered by a spec module `grader/specs/<name>.py` defining `KATA`;
its stub is `katas/<name>.py` and its reference `solutions/<name>.py`.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING

from grader import specs

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
    """The learner's file for a kata: katas/<name>.py under the current directory,
    else in the installed `katas` package."""
    local = Path.cwd() / "katas" / f"{name}.py"
    if local.exists():
        return local
    import katas  # noqa: PLC0415 -- only needed when not run from a checkout

    return Path(katas.__file__).parent / f"{name}.py"
