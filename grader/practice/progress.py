"""The learner's progress: a small JSON file in their working copy.

`.grader-progress.json` at the root of the learner's workspace, wherever in
it they run the grader (or the file named by the GRADER_PROGRESS environment
variable), so it can be committed or synced with
the learner's answers. Per kata it holds the last grading run (status, score,
when), the best score, when the kata first passed, the interview mode's best
time, how many hint tiers have been shown, and a digest of the file when it
last passed (so that a capstone need not grade an unchanged part again,
grader.practice.parts):

    {"version": 1, "katas": {"conv2d": {"status": "failing", "score": 5, "max_score": 13,
                                        "best_score": 9, "last_graded": "2026-11-23T16:40:02+00:00",
                                        "first_passed": null, "interview_best_seconds": null,
                                        "hints_shown": 1, "passed_digest": null}}}

It is written atomically (grader.practice.files: a temporary file in the same
directory, then os.replace), so a reader never sees half a file. A missing, unreadable or
corrupt file never stops anything: it reads as empty, a warning goes to
stderr once per process, and a corrupt one is kept beside it before it is
replaced.
"""
from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from grader.workspace import find_root
from grader.practice.files import write_atomically

FILE_NAME = ".grader-progress.json"
VERSION = 1
STATUSES = ("passed", "failing", "not started")

_warned = False


@dataclass
class KataProgress:
    """What the progress file remembers about one kata."""

    status: str = "not started"          # of the last grading run: 'passed', 'failing' or 'not started'
    score: int = 0                       # of the last grading run
    max_score: int = 0
    best_score: int = 0
    last_graded: str | None = None       # ISO 8601, local time with offset
    first_passed: str | None = None      # when a grading run first passed; None: never
    interview_best_seconds: float | None = None
    hints_shown: int = 0
    passed_digest: str | None = None     # of the file (and the grader's side) at its last run, if it passed

    @property
    def ever_passed(self) -> bool:
        return self.first_passed is not None

    @property
    def mastered(self) -> bool:
        """Passed in interview mode: from a fresh stub, against the clock."""
        return self.interview_best_seconds is not None

    @classmethod
    def from_json(cls, data: object) -> KataProgress:
        """Tolerant: a field of the wrong type keeps its default (a hand-edited file must not break grading)."""
        progress = cls()
        if not isinstance(data, dict):
            return progress
        if data.get("status") in STATUSES:
            progress.status = data["status"]
        for name in ("score", "max_score", "best_score", "hints_shown"):
            value = data.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                setattr(progress, name, value)
        for name in ("last_graded", "first_passed", "passed_digest"):
            if isinstance(data.get(name), str):
                setattr(progress, name, data[name])
        best = data.get("interview_best_seconds")
        if isinstance(best, (int, float)) and not isinstance(best, bool) and best > 0:
            progress.interview_best_seconds = float(best)
        return progress


def progress_path() -> Path:
    """Where the progress file lives: $GRADER_PROGRESS, else .grader-progress.json at the root of the workspace
    holding the current directory (grader.workspace), else in the current directory."""
    return Path(os.environ.get("GRADER_PROGRESS") or (find_root() or Path.cwd()) / FILE_NAME)


def load(path: Path | None = None) -> dict[str, KataProgress]:
    """Every kata's progress; {} when the file is missing, unreadable or corrupt (never raises)."""
    path = path or progress_path()
    try:
        katas = json.loads(_read_regular_file(path).decode("utf-8"))["katas"]
        if not isinstance(katas, dict):
            raise TypeError("'katas' is not an object")
    except FileNotFoundError:
        return {}
    except OSError as error:
        _warn_once(f"cannot read the progress file {path} ({error}); carrying on without it")
        return {}
    except (ValueError, KeyError, TypeError) as error:  # a UnicodeDecodeError is a ValueError too
        why = error if isinstance(error, UnicodeDecodeError) else f"{type(error).__name__}: {error}"
        kept = path.with_name(path.name + ".corrupt")
        try:  # moved aside at once: the next run starts afresh, and says nothing more
            os.replace(path, kept)
            done = f"it is kept as {kept.name}, and a new one is started"
        except OSError:
            done = "treating it as empty"
        _warn_once(f"the progress file {path} is corrupt ({why}); {done}")
        return {}
    return {str(name): KataProgress.from_json(entry) for name, entry in katas.items()}


#: A progress file larger than this is not read: it is not ours.
MAX_BYTES = 16 * 1024 * 1024


def _read_regular_file(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file of at most MAX_BYTES; OSError otherwise. Opened without
    blocking, so that a FIFO (or a device) put in its place cannot hang the grader."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        if status.st_size > MAX_BYTES:
            raise OSError(f"{path.name} is larger than {MAX_BYTES >> 20} MB")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(MAX_BYTES + 1)
    finally:
        os.close(fd)


def save(progress: dict[str, KataProgress], path: Path | None = None) -> bool:
    """Write the file atomically; False (after one warning) when it cannot be written."""
    path = path or progress_path()
    text = json.dumps({"version": VERSION, "katas": {name: asdict(entry) for name, entry in sorted(progress.items())}},
                      indent=2) + "\n"
    try:
        write_atomically(path, text.encode("utf-8"))
        return True
    except OSError as error:
        _warn_once(f"cannot write the progress file {path} ({error}); your progress is not recorded")
        return False


def update(kata: str, change: Callable[[KataProgress], None], path: Path | None = None) -> KataProgress:
    """Read the file, apply `change` to one kata's entry, write it back; returns the entry."""
    progress = load(path)
    entry = progress.setdefault(kata, KataProgress())
    change(entry)
    save(progress, path)
    return entry


def record_grade(kata: str, status: str, score: int, max_score: int, path: Path | None = None,
                 passed_digest: str | None = None) -> KataProgress:
    """Remember a grading run of the learner's own file; `passed_digest` is the file's digest at a passing
    run (grader.practice.parts), which a failing run clears."""
    def change(entry: KataProgress) -> None:
        entry.passed_digest = passed_digest if status == "passed" else None
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        # A best score out of another total (the kata's checks changed) means nothing now.
        entry.best_score = max(entry.best_score, score) if entry.max_score == max_score else score
        entry.status, entry.score, entry.max_score = status, score, max_score
        entry.last_graded = now
        if status == "passed" and entry.first_passed is None:
            entry.first_passed = now
    return update(kata, change, path)


def record_interview(kata: str, seconds: float, path: Path | None = None) -> KataProgress:
    """Remember a full pass in interview mode; keeps the best (shortest) time."""
    def change(entry: KataProgress) -> None:
        if entry.interview_best_seconds is None or seconds < entry.interview_best_seconds:
            entry.interview_best_seconds = round(seconds, 1)
    return update(kata, change, path)


def format_duration(seconds: float) -> str:
    """'42s', '12m 03s', '1h 02m'."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        print(f"grader: {message}", file=sys.stderr)
