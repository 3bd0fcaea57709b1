"""Where a variant of tests/learners/ is graded: as it is, or, for a capstone's, in a checkout of its own.

A capstone's variant imports its parts as a learner's solved checkout would, and here the parts are the
references: `from solutions.conv2d import ...` (or, in a reference itself, `from .conv2d import ...`). Under the sandbox (grader.sandbox.confine) the learner's
process reads nothing outside the graded file's folder, solutions/ least of all. So such a variant is
graded as katas/<kata>.py of a temporary checkout whose katas/ holds the references of the capstone's
parts, every `from solutions.` (or `from .`) read as `from katas.`: a learner's checkout with every part
solved.
"""
from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.authoring.kata import Kata


#: A part imported from the references: `from solutions.conv2d import`, `import solutions.conv2d`, or a
#: reference's own `from .conv2d import`.
_PART_IMPORT = re.compile(r"^(\s*)(from|import) (?:solutions|)\.(?=\w)", re.MULTILINE)


def as_learners(source: str) -> str:
    """`source` with its parts imported as a learner's file imports them: from katas."""
    return _PART_IMPORT.sub(r"\1\2 katas.", source)


@contextmanager
def graded_path(kata: Kata, path: Path, solutions: Path) -> Iterator[Path]:
    """The file to grade for the variant at `path`: itself, or a capstone's in a solved checkout (see above),
    whose parts come from the folder `solutions`; the checkout is gone when the context ends."""
    source = Path(path).read_text()
    if not kata.depends_on or not _PART_IMPORT.search(source):
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="grader-variant-") as folder:
        katas = Path(folder) / "katas"
        katas.mkdir()
        (katas / "__init__.py").write_text("")
        for part in kata.depends_on:
            reference = Path(solutions) / f"{part}.py"
            if reference.is_file():
                (katas / reference.name).write_text(as_learners(reference.read_text()))
        graded = katas / f"{kata.name}.py"
        graded.write_text(as_learners(source))
        yield graded
