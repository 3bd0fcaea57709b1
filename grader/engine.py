"""Grade one file against one kata: run every check, collect a Report.

The learner's file runs in a child process (`isolation`); the reference runs
here, in the grader, and so do all comparisons.
"""
from __future__ import annotations

import copy
import importlib
import os
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from grader.blas_threads import one_blas_thread
from grader.gradcheck import GradientBudget
from grader.isolation import LearnerError, LearnerProcess, Returned
from grader.kata import Check, CheckFailed, Kata
from grader.results import CheckResult, Report
from grader.speed import speed_deadline

if TYPE_CHECKING:  # only the CLI makes one (grader.passed_parts reads the learner's progress file)
    from grader.passed_parts import PassedParts

DEFAULT_TIMEOUT = 10.0
#: Learner time all numerical gradients of one kata may take together.
GRADIENT_SECONDS = 1.0

_OUTCOME_OF_KIND = {"not_started": "not started", "not_run": "not run"}


class Session:
    """What a check works with: the learner's process, the reference, a memo.

    Checks that need the same learner call (a forward pass, say) share its
    result through `memo`, errors included, so each call runs once.
    """

    def __init__(self, kata: Kata, learner: LearnerProcess, reference: object):
        self.kata = kata
        self.learner = learner
        self.reference = reference
        self.gradient_budget = GradientBudget(GRADIENT_SECONDS)
        #: perf_counter time by which the speed line must be done (set by `grade`; see grader.speed).
        self.speed_deadline = float("inf")
        self._memo: dict[object, tuple[bool, object]] = {}

    def call(self, fn: str, *args, **kwargs) -> Returned:
        """Call the learner's `fn` in the child (see LearnerProcess.call)."""
        return self.learner.call(fn, *args, **kwargs)

    def reference_call(self, fn: str, *args, **kwargs):
        """Call the reference's `fn` on private copies of the arguments."""
        return getattr(self.reference, fn)(*copy.deepcopy(args), **copy.deepcopy(kwargs))

    def memo(self, key: object, compute: Callable[[], object]) -> object:
        """compute() once per key; a raised CheckFailed/LearnerError is remembered too."""
        if key not in self._memo:
            try:
                self._memo[key] = (True, compute())
            except (CheckFailed, LearnerError) as error:
                self._memo[key] = (False, error)
        ok, value = self._memo[key]
        if not ok:
            raise value
        return value

    def rng(self, *key: object) -> np.random.Generator:
        """A generator seeded by the kata and `key`: the same inputs run after run."""
        seed = zlib.crc32(repr((self.kata.name,) + key).encode())
        return np.random.default_rng(seed)


def grade(kata: Kata, path: Path | str, timeout: float | None = None, extras: bool = True,
          started: float | None = None, parts: PassedParts | None = None) -> Report:
    """Grade the module at `path` against `kata`; never raises for anything the file does.

    `timeout` defaults to the kata's own limit, else DEFAULT_TIMEOUT. When the
    kata builds on others and the file imports them from katas/, each of
    those files is graded first; if one fails, the checks are not run and
    the scorecard names it. `extras=False` skips the diagnoses and the speed
    line (a dependency check needs only the verdict). `started` is the
    time.perf_counter() at which this grading run began (default: now); the
    speed line may add a share of the time since then (see grader.speed).
    `parts`, when given, keeps the verdicts of the parts a capstone imports:
    one that passed unchanged is not graded again.
    """
    started = time.perf_counter() if started is None else started
    timeout = timeout or kata.timeout or DEFAULT_TIMEOUT
    reference = importlib.import_module(kata.reference_module)
    # Before the fork: the learner's two processes must not fight over the cores with BLAS threads.
    with one_blas_thread(), LearnerProcess(Path(path), f"learner_{kata.name}", timeout) as learner:
        session = Session(kata, learner, reference)
        unsolved = _unsolved_dependencies(kata, learner.sibling_katas, parts)
        if unsolved:
            problem = (f"{kata.name} is built from your other katas, and these do not pass yet: "
                       f"{', '.join(unsolved)}. Solve them first (python -m grader KATA).")
            first = ", ".join(name.split(" ")[0] for name in unsolved)
            results = tuple(CheckResult(check.name, check.group, "not run", f"not run: solve {first} first")
                            for check in kata.checks)
            return Report(kata=kata.name, file=str(path), checks=results, problem=problem,
                          output=learner.output.text(), output_bytes=learner.output.total_bytes)
        for check in kata.checks:
            if check.start is not None:
                _start_early(session, check)
        results = tuple(_run_check(session, check) for check in kata.checks)
        # A failure that ended the learner's process (import error, hang, crash) heads the scorecard.
        problem = learner.failure.describe() if learner.failure else None
        diagnoses = _diagnose(session, results) if problem is None and extras else ()
        speed = None
        if extras and kata.speed is not None and problem is None and any(result.passed for result in results):
            session.speed_deadline = speed_deadline(time.perf_counter() - started)
            speed = kata.speed(session)
    return Report(kata=kata.name, file=str(path), checks=results, problem=problem,
                  output=learner.output.text(), output_bytes=learner.output.total_bytes, speed=speed,
                  diagnoses=diagnoses)


def _diagnose(session: Session, results: tuple[CheckResult, ...]) -> tuple[tuple[str, str], ...]:
    """The kata's known mistakes that the learner's failing code matches."""
    if all(result.passed or result.outcome == "not started" for result in results):
        return ()
    found = []
    for mistake in session.kata.mistakes:
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
    return tuple(found)


def _unsolved_dependencies(kata: Kata, imported: dict[str, Path], parts: PassedParts | None) -> list[str]:
    """The katas this one depends on, imported by the learner's file, that do not pass: 'maxpool (3/10)'."""
    from grader.catalogue import load_kata  # noqa: PLC0415 -- the catalogue imports the specs

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


def _start_early(session: Session, check: Check) -> None:
    """check.start(session); whatever goes wrong there, the row's own run does the work and reports it."""
    try:
        check.start(session)
    except Exception:  # noqa: BLE001 -- a row that could not start early is still run, in full
        if os.environ.get("GRADER_DEBUG"):
            raise


def _run_check(session: Session, check: Check) -> CheckResult:
    try:
        note = check.run(session)
    except CheckFailed as failure:
        return CheckResult(check.name, check.group, "fail", str(failure),
                           failure.error_map or "", failure.map_title)
    except LearnerError as error:
        outcome = _OUTCOME_OF_KIND.get(error.kind, "error")
        return CheckResult(check.name, check.group, outcome, error.describe())
    except Exception as exc:  # a bug of ours: say so plainly rather than blame the learner
        if os.environ.get("GRADER_DEBUG"):
            raise
        return CheckResult(check.name, check.group, "error",
                           f"internal grader error ({type(exc).__name__}: {exc}); please report it")
    return CheckResult(check.name, check.group, "pass", note or "")
