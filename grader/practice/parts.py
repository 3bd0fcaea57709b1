"""A capstone's parts, graded before it; and those that passed as they are now, not graded again.

A capstone (convnet, mlp_regression) is built from the learner's other katas:
its checks mean something only once the parts its file imports pass. The
engine asks a gate which do not (`parts_gate`, handed to grade()), and this
one grades each: six layer katas for convnet, about half a second on every
save of katas/convnet.py. A part whose file is byte for byte the one that
last passed, graded by the same spec against the same reference, would pass
again, so its verdict is kept: the digest of the three files at that passing
run goes into the learner's progress file (grader.practice.progress, field
`passed_digest`) and is compared before grading the part. Any change to one
of them, or a failing run, clears it.

What the digest does not see (a helper module the part imports, a change
elsewhere in the grader) can only let the capstone's own checks run where
"solve that part first" would have been shown; those checks still test the
whole model.
"""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from grader.authoring.kata import Kata
from grader.grading.catalogue import load_kata
from grader.grading.engine import Gate, grade


def part_digest(kata: str, path: Path) -> str | None:
    """sha256 of the learner's file for `kata`, its spec and its reference; None if one cannot be read."""
    found = [importlib.util.find_spec(name) for name in (f"grader.specs.{kata}", load_kata(kata).reference_module)]
    digest = hashlib.sha256()
    try:
        for file in [path, *(Path(spec.origin) for spec in found if spec is not None and spec.origin is not None)]:
            digest.update(file.read_bytes())
    except OSError:  # nothing to tell the runs apart by: never reuse a verdict then
        return None
    return digest.hexdigest()


class PassedParts:
    """Reads and writes the parts' verdicts in the progress file at `path` (default: the learner's)."""

    def __init__(self, path: Path | None = None):
        # Imported here, before any learner code runs, and only for a learner's own files (json and all: ~3 ms).
        from grader.practice import progress  # noqa: PLC0415

        self.path = path
        self._progress = progress

    def passed_unchanged(self, kata: str, file: Path) -> bool:
        """Whether `file` passed `kata` as it is now (and the grader's side of it is unchanged too)."""
        practice = self._progress
        digest = practice.load(self.path).get(kata, practice.KataProgress()).passed_digest
        return digest is not None and digest == part_digest(kata, file)

    def remember(self, kata: str, file: Path, passed: bool) -> None:
        """Keep the digest of a passing run of `file`, or forget it after a failing one."""
        practice = self._progress
        digest = part_digest(kata, file) if passed else None
        if practice.load(self.path).get(kata, practice.KataProgress()).passed_digest != digest:
            practice.update(kata, lambda entry: setattr(entry, "passed_digest", digest), self.path)


def parts_gate(parts: PassedParts | None = None) -> Gate:
    """The gate for grade(): each part the capstone's file imported is graded (but one `parts` remembers
    as passed unchanged), and those that fail are returned, 'maxpool (3/10)'."""
    def gate(kata: Kata, imported: dict[str, Path]) -> list[str]:
        unsolved = []
        for name in kata.depends_on:
            if name not in imported or (parts is not None and parts.passed_unchanged(name, imported[name])):
                continue
            report = grade(load_kata(name), imported[name], extras=False)
            if parts is not None:
                parts.remember(name, imported[name], report.passed)
            if not report.passed:
                unsolved.append(f"{name} ({report.score}/{report.max_score})")
        return unsolved
    return gate
