"""`python -m grader watch KATA`: grade again each time the file is saved.

Saves are noticed by polling the file's modification time, size and inode
every POLL_SECONDS: one stat() call, which works on every filesystem and
editor (network mounts, containers and WSL, where change notifications
often never arrive; editors that save by writing a new file and renaming
it), needs no dependency, and costs nothing a learner could notice. A
change is graded once the file has stopped changing, so a half-written
save is not graded. Ctrl-C stops watching cleanly.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.grading.engine import Gate, grade
from grader.authoring.kata import Kata
from grader.checks.results import Report

POLL_SECONDS = 0.3
#: A save is graded once two looks this far apart agree (the editor has finished writing).
SETTLE_SECONDS = 0.1


@dataclass(frozen=True)
class Limits:
    """When to stop other than by Ctrl-C (for scripts and tests): after so many gradings or seconds."""

    max_runs: int | None = None
    stop_after: float | None = None


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file is saved: (mtime in ns, size, inode); None while it does not exist."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def watch(kata: Kata, path: Path, console: Console, *, timeout: float | None = None, grade_first: bool = True,
          on_report: Callable[[Report], bool] | None = None, on_tick: Callable[[], None] | None = None,
          banner: Callable[[], None] | None = None, limits: Limits | None = None,
          gate: Gate | None = None, since: tuple | None = None, seed: int = 0) -> str:
    """Grade `path` (at once when `grade_first`) and again after each save, showing the scorecard;
    returns why watching stopped: "done" (on_report said so), "interrupted" (Ctrl-C) or "limit".

    `on_report(report)` runs after each grading (to record progress) and returns True to stop watching;
    `on_tick()` runs at each poll while waiting (a clock); `banner()` prints a line atop each fresh
    screen; `gate` is handed to each grading run (a capstone's parts: grader.practice.parts). `since`: the
    file's signature when the caller last knew it unsaved (taken before it told the learner to edit it, so
    that a save made at once is not missed); by default, now. `seed`: the inputs' draw (0: practice's).
    """
    from grader.reporting.scorecard import print_scorecard  # noqa: PLC0415 -- rich rendering, after the engine
    from grader.reporting.training_bar import training_bar  # noqa: PLC0415

    def grade_and_show() -> bool:
        if banner is not None:
            banner()
        report = grade(kata, path, timeout=timeout, gate=gate, progress=training_bar, seed=seed)
        print_scorecard(report, console)
        if on_report is not None and on_report(report):
            return True
        console.print(Text(f"\nWatching {path}: save it to grade again; Ctrl-C to stop.", style="dim"))
        return False

    limits = limits or Limits()
    _let_ctrl_c_interrupt()
    deadline = None if limits.stop_after is None else time.monotonic() + limits.stop_after
    last = signature(path) if since is None else since  # before grading: a save made meanwhile is graded next
    runs = int(grade_first)
    try:
        if grade_first and grade_and_show():
            return "done"
        while limits.max_runs is None or runs < limits.max_runs:
            last = _wait_for_save(path, last, deadline, on_tick)
            if last is None:
                return "limit"
            runs += 1
            console.clear()
            console.rule(Text(f"{path.name} saved at {datetime.now():%H:%M:%S}: grading (run {runs})"),
                         style="dim")
            if grade_and_show():
                return "done"
        return "limit"
    except KeyboardInterrupt:
        console.print(Text("\nStopped watching.", style="dim"))
        return "interrupted"


def _wait_for_save(path: Path, last: tuple | None, deadline: float | None,
                   on_tick: Callable[[], None] | None) -> tuple | None:
    """Block until the file's signature differs from `last` and has settled; None past `deadline`."""
    while True:
        if deadline is not None and time.monotonic() >= deadline:
            return None
        if on_tick is not None:
            on_tick()
        current = signature(path)
        if current is not None and current != last:
            time.sleep(SETTLE_SECONDS)
            if signature(path) == current:
                return current
            continue
        time.sleep(POLL_SECONDS)


def _let_ctrl_c_interrupt() -> None:
    """Ctrl-C raises KeyboardInterrupt even when started with SIGINT ignored (a background job)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
