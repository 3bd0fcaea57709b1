"""What went wrong in the learner's process, in words, and where in the learner's code.

Whatever the learner's code does (raise, hang, exit, scribble on the pipe),
the grader ends up with a LearnerError: one sentence for the scorecard, the
line of the learner's own code it happened at, and whether the process is
gone for good.
"""
from __future__ import annotations

import linecache
import os
import re
import signal
import site
from pathlib import Path

from grader.sandbox.limits import MEMORY_MB
from grader.sandbox.protocol import Failure


class LearnerError(Exception):
    """Learner code did not return normally: it raised, hung, exited or broke the pipe."""

    def __init__(self, kind: str, summary: str, location: str | None = None, fatal: bool = False,
                 exception_type: str = "", exception_bases: tuple[str, ...] = ()):
        super().__init__(summary)
        #: 'not_started', 'raised', 'exit', 'interrupt', 'syntax', 'missing', 'returned', 'memory', 'timeout',
        #: 'died', 'tampered' or 'not_run'.
        self.kind = kind
        self.exception_type = exception_type  # the exception's class name when the code raised ("ValueError")
        self.exception_bases = exception_bases  # the built-in classes it is an instance of (Failure.bases)
        self.summary = summary  # one sentence for the scorecard
        self.location = location  # "file line N: source" in the learner's file, when known
        self.fatal = fatal  # the learner's process is gone; later calls cannot run

    @property
    def stops_the_row(self) -> bool:
        """Whether a row that judges many calls must stop here, not go on to the next: the process is
        gone, or the code is a stub (one cause for every call; the row says it once)."""
        return self.fatal or self.kind == "not_started"

    def raised(self, exception_type: str) -> bool:
        """Whether the code raised an `exception_type` ("ValueError"): that class, or a class of its own
        derived from it (numpy's AxisError and LinAlgError are ValueErrors)."""
        return self.kind == "raised" and exception_type in (self.exception_type, *self.exception_bases)

    def describe(self) -> str:
        """The summary, and where in the learner's file (a stub's raise line says nothing new)."""
        if self.location and self.kind != "not_started":
            return f"{self.summary} ({self.location})"
        return self.summary


def from_failure(failure: Failure, location: str | None, context: str, fatal: bool = False) -> LearnerError:
    """The LearnerError for a Failure the learner's process reported; `context` is what the grader was
    checking (a configuration's label), said where the learner's code raised or returned."""
    kind, name, message = failure.kind, failure.type, failure.message
    where = "importing your file" if failure.during == "import" else failure.during
    summary = {
        "syntax": f"{name} in your file: {message}",
        "not_started": f"not started: {where} raises NotImplementedError",
        "exit": f"{where} called sys.exit({message})",
        "missing": message,
        "returned": f"{where} {message}",
        "memory": f"{where} used more than {MEMORY_MB} MB of memory, the limit for your code ({name}: {message})",
    }.get(kind, f"{where} raised {name}" + (f": {message}" if message else ""))
    if context and kind in ("raised", "exit", "returned", "interrupt", "memory"):
        summary = f"{context}: {summary}"  # the configuration it happened in
    return LearnerError(kind, summary, location, fatal=fatal, exception_type=name, exception_bases=failure.bases)


def timed_out(timeout: float, during: str, context: str, location: str | None) -> LearnerError:
    context = f" ({context})" if context else ""
    return LearnerError("timeout", f"timed out: your code ran past the {timeout:g} s limit {_while(during)}{context}",
                        location, fatal=True)


def over_memory(during: str, context: str) -> LearnerError:
    """Its processes together held more than the limit, and were ended (grader.sandbox.tree_memory)."""
    context = f" ({context})" if context else ""
    return LearnerError("memory", f"your code used more than {MEMORY_MB} MB of memory, the limit for your code, "
                                  f"counting every process it started, {_while(during)}{context}", None, fatal=True)


def died(status: int | None, during: str) -> LearnerError:
    """`status` as os.waitstatus_to_exitcode gives it (negative: killed by that signal), or None."""
    if status is not None and status < 0:
        how = f"was killed by signal {signal.Signals(-status).name}"
    else:
        how = f"exited with status {status}" + (" (os._exit?)" if status is not None else "")
    return LearnerError("died", f"your code ended its own process: it {how} {_while(during)}", fatal=True)


def tampered(during: str, what: str) -> LearnerError:
    return LearnerError("tampered", f"your code interfered with the grader's process {_while(during)}: it {what}",
                        fatal=True)


def not_run(failure: LearnerError) -> LearnerError:
    """What every request after a fatal failure gets: not run, and why."""
    return LearnerError("not_run", f"not run: {failure.summary}", failure.location, fatal=True)


def _while(during: str) -> str:
    return "while importing your file" if during == "import" else f"in {during}"


def locate(path: Path, frames) -> str | None:
    """'your file line N: source' for the innermost frame in the learner's own code (`path`, the graded file).

    When that frame is in another of the learner's modules (a helper the file imports, a sibling kata), it
    is named, with the line of the graded file that led there: 'helpers.py line 5: ..., called from
    conv2d.py line 30: ...'.
    """
    own = []
    for frame in frames:
        try:
            filename, line = str(frame[0]), int(frame[1])
        except (TypeError, ValueError, IndexError, KeyError):  # not a (file, line, name) record: not a place
            continue
        if _resolved(filename) == path:
            own.append((path, line))
        elif _learners_module(filename):
            own.append((Path(filename), line))
    if not own:
        return None
    innermost, line = own[-1]
    where = _source_line(innermost, line)
    graded = [line for file, line in own if file == path]
    if innermost != path and graded:
        where += f", called from {_source_line(path, graded[-1])}"
    return where


def locate_dump(path: Path, dump: bytes) -> str | None:
    """The same, from faulthandler's dump of a hung process's stack (most recent call first)."""
    return locate(path, re.findall(r'File "(.+?)", line (\d+) in (\S+)', dump.decode("utf-8", "replace"))[::-1])


def _source_line(path: Path, line: int) -> str:
    """'name.py line N: the source line' (without the source when it cannot be read)."""
    source = linecache.getline(str(path), line).strip()
    return f"{path.name} line {line}" + (f": {source}" if source else "")


#: Where code that is not the learner's lives: Python's own library (where `os` is), the installed packages (the
#: site's folders, a user's own included) and the grader. Asked of `site`, loaded at every start, rather than of
#: sysconfig, whose paths cost ~5 ms of every run to work out.
_LIBRARY_DIRS = tuple({Path(folder).resolve()
                       for folder in (os.path.dirname(os.__file__), *site.getsitepackages(), site.getusersitepackages())}
                      | {Path(__file__).resolve().parents[1]})


def _learners_module(filename: str) -> bool:
    """Whether a traceback's file is the learner's own code: a real file outside the library and the grader."""
    path = _resolved(filename)
    return (not filename.startswith("<") and path is not None and path.suffix == ".py" and path.is_file()
            and not any(path.is_relative_to(root) for root in _LIBRARY_DIRS))


def _resolved(filename: str) -> Path | None:
    try:
        return Path(filename).resolve()
    except (OSError, ValueError):
        return None
