"""`python -m grader interview [KATA]`: a kata from a fresh stub, against the clock.

The kata is the one named, else one picked at random among those not yet
mastered (passed in interview mode). A fresh copy of its pristine stub goes
to interview/<kata>.py in the current directory (an earlier attempt there is
kept as a backup), its spec -- the stub's docstrings -- is shown, and the
clock starts. Each save is graded (grader.practice.watch); the first full
pass stops the clock, and the time from start to that save is kept in the
progress file when it is the learner's best.
"""
from __future__ import annotations

import ast
import os
import random
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.practice import progress as practice
from grader.practice import stubs
from grader.practice.parts import parts_gate
from grader import workspace
from grader.grading.catalogue import kata_names, learner_file, load_kata
from grader.checks.results import Report
from grader.practice.reveal import print_source
from grader.practice.watch import Limits, signature, watch

SCRATCH_DIR = "interview"


def pick_kata(progress: dict[str, practice.KataProgress]) -> tuple[str, bool]:
    """A kata not yet mastered, at random; (kata, True) when every kata is mastered and any will do."""
    names = kata_names()
    open_katas = [name for name in names if not progress.get(name, practice.KataProgress()).mastered]
    return (random.choice(open_katas), False) if open_katas else (random.choice(names), True)


def run_interview(name: str | None, console: Console, *, timeout: float | None = None,
                  limits: Limits | None = None, seed: int = 0) -> int:
    """Run one interview; exit status 0 when it ended in a full pass, 1 otherwise."""
    if name is None:
        name, all_mastered = pick_kata(practice.load())
        if all_mastered:
            console.print(Text("You have mastered every kata in interview mode; here is one to beat your time on."))
    kata = load_kata(name)
    try:
        stub = _fresh_stub(learner_file(name))
    except stubs.NoPristineStub as error:
        print(f"error: cannot start an interview on {name}: {error}", file=sys.stderr)
        return 1
    # At the workspace's root, shown relative to here, as the learner would type it.
    scratch = Path(os.path.relpath(workspace.root() / SCRATCH_DIR / f"{name}.py"))
    scratch.parent.mkdir(exist_ok=True)
    earlier = stubs.restore_stub(scratch, stub)
    written = signature(scratch)  # before the learner is told to edit it: a save made at once counts

    best = practice.load().get(name, practice.KataProgress()).interview_best_seconds
    console.print(Text.assemble(("Interview: ", "bold"), (name, "bold cyan"), f" -- {kata.title}"))
    print_source(console, spec_of(stub.decode("utf-8")))
    console.print(Text.assemble(
        "\nWrite your answer in ", (str(scratch), "bold"),
        " (a fresh copy of the stub; the spec above is its docstrings). Each save is graded; "
        "the clock stops at the first full pass. Ctrl-C gives up.",
        f"\nYour earlier attempt is kept as {earlier}." if earlier else "",
        f"\nYour best time: {practice.format_duration(best)}." if best else ""))
    console.file.flush()

    started = saved_at = time.monotonic()
    clock = _Clock(console, started)

    def banner() -> None:
        nonlocal saved_at
        saved_at = time.monotonic()
        clock.shown = -1  # watch has just cleared the screen, the clock's line with it
        console.print(Text(f"Interview: {name}, {practice.format_duration(saved_at - started)} in", style="bold"))

    def on_report(report: Report) -> bool:
        if not report.passed:
            return False
        seconds = saved_at - started
        entry = practice.record_interview(name, seconds)
        verdict = ("a new best" if entry.interview_best_seconds == round(seconds, 1)
                   else f"your best is {practice.format_duration(entry.interview_best_seconds)}")
        console.print(Text.assemble(("\nFull pass in ", "bold green"),
                                    (practice.format_duration(seconds), "bold green"), f": {verdict}. ",
                                    f"Your answer stays in {scratch}."))
        return True

    reason = watch(kata, scratch, console, timeout=timeout, seed=seed, grade_first=False, on_report=on_report, on_tick=clock.tick,
                   banner=banner, limits=limits, gate=parts_gate() if kata.depends_on else None, since=written)
    clock.leave_line()
    if reason == "done":
        return 0
    console.print(Text(f"Interview over after {practice.format_duration(time.monotonic() - started)} without a "
                       "full pass: no time recorded.", style="dim"))
    return 1


def _fresh_stub(learner: Path) -> bytes:
    """The pristine stub; without git, the learner's own file will do while it is still untouched."""
    try:
        return stubs.pristine_stub(learner)
    except stubs.NoPristineStub:
        if learner.is_file() and stubs.is_stub(learner.read_bytes()):
            return learner.read_bytes()
        raise


def spec_of(source: str) -> str:
    """The stub's functions and classes without their `raise NotImplementedError` lines:
    signatures and docstrings, the spec."""
    tree = ast.parse(source)
    first = min((node.lineno for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))),
                default=1)
    raised = {number for node in ast.walk(tree) if isinstance(node, ast.Raise)
              for number in range(node.lineno, node.end_lineno + 1)}
    lines = source.splitlines()[first - 1:]
    return "\n".join(line for number, line in enumerate(lines, first) if number not in raised).rstrip() + "\n"


class _Clock:
    """The running clock, redrawn in place once a second while waiting for a save (terminals only)."""

    def __init__(self, console: Console, started: float):
        self.console = console
        self.started = started
        self.shown = -1

    def tick(self) -> None:
        elapsed = int(time.monotonic() - self.started)
        if self.console.is_terminal and elapsed != self.shown:
            self.shown = elapsed
            minutes, seconds = divmod(elapsed, 60)
            self.console.file.write(f"\r  clock {minutes:02d}:{seconds:02d}  ")
            self.console.file.flush()

    def leave_line(self) -> None:
        """End the clock's line, if one is drawn, so what follows starts on its own."""
        if self.shown >= 0:
            self.console.file.write("\n")
            self.shown = -1
