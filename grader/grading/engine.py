"""Grade one file against one kata: run every check, collect a Report.

The learner's file runs in a process of its own (grader.sandbox); the
reference runs here, in the grader, and so do all comparisons.
"""
from __future__ import annotations

import importlib
import os
import time
from pathlib import Path
from typing import Callable, ContextManager

from grader.authoring.kata import Check, CheckFailed, Kata, NotRun
from grader.checks.progress import Progress, quiet_progress
from grader.checks.results import CheckResult, Report
from grader.checks.session import Session
from grader.checks.speed import speed_deadline
from grader.sandbox.blas_threads import one_blas_thread
from grader.sandbox.confine import protections_off
from grader.sandbox.process import LearnerError, LearnerProcess

DEFAULT_TIMEOUT = 10.0

#: gate(kata, {kata name: file} of the learner's other katas its file imported) -> the parts that do not
#: pass yet, as "maxpool (3/10)": a capstone's checks run only when it gives none (grader.practice.parts).
Gate = Callable[[Kata, dict[str, Path]], list[str]]

_OUTCOME_OF_KIND = {"not_started": "not started", "not_run": "not run"}
#: The problem of a run the person at the terminal stopped (Ctrl-C).
INTERRUPTED = "interrupted (Ctrl-C) before the grading finished"


def grade(kata: Kata, path: Path | str, timeout: float | None = None, extras: bool = True,
          started: float | None = None, seed: int = 0, gate: Gate | None = None,
          progress: Callable[[str], ContextManager[Progress]] = quiet_progress,
          imports: Callable[[], object] | None = None, speed_line: bool = True) -> Report:
    """Grade the module at `path` against `kata`; never raises for anything the file does.

    `timeout` defaults to the kata's own limit, else DEFAULT_TIMEOUT. `extras=False` skips the diagnoses
    and the speed line (a capstone's part needs only the verdict). `started` is the time.perf_counter() at
    which this grading run began (default: now); the speed line may add a share of the time since then
    (see grader.checks.speed). `seed` is mixed into every input draw (0, the default, gives the practice
    inputs). `gate`, for a kata built on others, is asked which of the parts the file imports do not pass
    yet; if any, the checks are not run and the scorecard names them. `progress` shows a long call (a
    training run) while it runs. `speed_line=False` skips the speed line alone (the catalogue's self-check,
    which shows none, keeps the diagnoses). `imports()` makes the caller's own imports for later (the scorecard's), while
    the learner's processes start and before any learner code runs.
    """
    started = time.perf_counter() if started is None else started
    timeout = timeout or kata.timeout or DEFAULT_TIMEOUT
    # One BLAS thread here, as in the learner's processes (the launcher's): the processes must not fight over
    # the cores, and the speed line times both alike (set while they start: threadpoolctl takes ~5 ms to load).
    with LearnerProcess(Path(path), f"learner_{kata.name}", timeout, held=True) as learner, one_blas_thread():
        # Every import the run needs is made before any learner code runs (learner code could change the files
        # they come from), here while the learner's processes fork and confine themselves.
        reference = importlib.import_module(kata.reference_module)
        if imports is not None:
            imports()
        learner.begin()
        session = Session(kata.name, learner, reference, seed, progress)
        unsolved = gate(kata, learner.sibling_katas) if gate is not None and kata.depends_on else []
        if unsolved:
            problem = (f"{kata.name} is built from your other katas, and these do not pass yet: "
                       f"{', '.join(unsolved)}. Solve them first (python -m grader KATA).")
            first = ", ".join(name.split(" ")[0] for name in unsolved)
            results = tuple(CheckResult(check.name, check.group, "not run", f"not run: solve {first} first")
                            for check in kata.checks)
            return Report(kata=kata.name, file=str(path), checks=results, problem=problem,
                          output=learner.output.text(), output_bytes=learner.output.total_bytes, seed=seed,
                          protections_off=protections_off(learner.confined))
        results: dict[str, CheckResult] = {}
        diagnoses, speed = (), None
        try:
            for check in kata.checks:
                if check.start is not None:
                    _start_early(session, check)
            _run_checks(session, kata.checks, results)
            # A failure that ended the learner's process (import error, hang, crash) heads the scorecard.
            problem = learner.failure.describe() if learner.failure else None
            diagnoses = _diagnose(kata, session, _in_order(kata.checks, results)) if problem is None and extras else ()
            if extras and speed_line and kata.speed is not None and problem is None and \
                    any(r.passed for r in results.values()):
                session.speed_deadline = speed_deadline(time.perf_counter() - started)
                speed = kata.speed(session)
        except KeyboardInterrupt:  # Ctrl-C: the report of what was graded, the rest not run, and still a report
            problem = INTERRUPTED
            for check in kata.checks:
                results.setdefault(check.name, CheckResult(check.name, check.group, "not run", f"not run: {problem}"))
        results = _in_order(kata.checks, results)
    return Report(kata=kata.name, file=str(path), checks=results, problem=problem,
                  output=learner.output.text(), output_bytes=learner.output.total_bytes, speed=speed,
                  diagnoses=diagnoses, seed=seed, protections_off=protections_off(learner.confined))


def _diagnose(kata: Kata, session: Session, results: tuple[CheckResult, ...]) -> tuple[tuple[str, str], ...]:
    """The kata's known mistakes that the learner's failing code matches."""
    if all(result.passed or result.outcome == "not started" for result in results):
        return ()
    found = []
    for mistake in sorted(kata.mistakes, key=lambda mistake: mistake.fallback):  # the exact ones first
        if mistake.fallback and found:
            break
        try:
            matched = mistake.detect(session)
        except (CheckFailed, LearnerError):  # the code fails differently: not this mistake
            matched = False
        except Exception:  # noqa: BLE001 -- a broken detector must not cost the learner the scorecard
            if os.environ.get("GRADER_DEBUG"):
                raise
            matched = False
        if matched:
            found.append((mistake.name, mistake.explanation))
    order = [mistake.name for mistake in kata.mistakes]
    return tuple(sorted(found, key=lambda item: order.index(item[0])))


def _start_early(session: Session, check: Check) -> None:
    """check.start(session); whatever goes wrong there, the row's own run does the work and reports it."""
    try:
        check.start(session)
    except Exception:  # noqa: BLE001 -- a row that could not start early is still run, in full
        if os.environ.get("GRADER_DEBUG"):
            raise


def _in_order(checks: tuple[Check, ...], results: dict[str, CheckResult]) -> tuple[CheckResult, ...]:
    return tuple(results[check.name] for check in checks)


def _run_checks(session: Session, checks: tuple[Check, ...], results: dict[str, CheckResult]) -> None:
    """Every row's result into `results` (so that an interruption leaves those done); rows with `runs_last` run
    after the others, and a row whose `needs` did not pass is skipped with a pointer to the first of them."""
    for check in sorted(checks, key=lambda check: check.runs_last):  # a stable sort: the order otherwise kept
        blocker = next((results[name] for name in check.needs if name in results and not results[name].passed),
                       None)
        if blocker is None:
            results[check.name] = _run_check(session, check)
        elif blocker.outcome in ("not started", "not run"):  # the root problem's own words, passed on
            results[check.name] = CheckResult(check.name, check.group, blocker.outcome, blocker.message)
        else:
            results[check.name] = CheckResult(check.name, check.group, "not run",
                                              f"not run: fix '{blocker.name}' first")


def _run_check(session: Session, check: Check) -> CheckResult:
    try:
        note = check.run(session)
    except CheckFailed as failure:
        return CheckResult(check.name, check.group, "fail", str(failure),
                           failure.error_map or "", failure.map_title)
    except NotRun as skipped:
        return CheckResult(check.name, check.group, "not run", str(skipped))
    except LearnerError as error:
        outcome = _OUTCOME_OF_KIND.get(error.kind, "error")
        return CheckResult(check.name, check.group, outcome, error.describe())
    except Exception as exc:  # a bug of ours: say so plainly rather than blame the learner
        if os.environ.get("GRADER_DEBUG"):
            raise
        return CheckResult(check.name, check.group, "error",
                           f"internal grader error ({type(exc).__name__}: {exc}); please report it")
    return CheckResult(check.name, check.group, "pass", note or "")


def not_graded(kata: Kata, path: Path | str, reason: str, seed: int = 0) -> Report:
    """A report for a file that could not be graded (missing, interrupted, a crash of ours): every row not
    run, `reason` its problem, so that a report asked for is never empty."""
    return Report(kata=kata.name, file=str(path), problem=reason, seed=seed,
                  checks=tuple(CheckResult(check.name, check.group, "not run", f"not run: {reason}")
                               for check in kata.checks))
