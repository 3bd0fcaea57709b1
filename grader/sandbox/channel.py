"""One process running the learner's file, and the pipes to it.

The process comes from the launcher (grader.sandbox.launcher: forked from a
clean zygote, or a fresh interpreter), never from the grader itself; it
imports the learner's file and answers requests (grader.sandbox.child). Requests go down one pipe, replies come up another,
and the child's stdout/stderr up a third, captured apart from the scorecard.
Every wait has the channel's time budget; whatever the child does (raise,
hang, exit, print megabytes, scribble on the reply pipe), the caller ends up
with a reply or a LearnerError that says what happened, never a hang or a
traceback of the grader's.
"""
from __future__ import annotations

import faulthandler
import os
import selectors
import signal
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from grader.sandbox import child, errors
from grader.sandbox.confine import confine
from grader.sandbox.launcher import kill_group, launcher
from grader.sandbox.limits import limit_resources
from grader.sandbox.errors import LearnerError
from grader.sandbox.protocol import (BEGIN, Failure, Progress, Ready, Reply, UnsafeReply, checked, decode_untrusted,
                                     encode, next_payload, write_all)

#: How much of what the learner prints is kept (the rest is counted, not stored).
OUTPUT_HEAD_BYTES = 8000
OUTPUT_TAIL_BYTES = 2000
#: Requests and replies travel through pipes this large, where the system allows.
PIPE_BYTES = 1 << 20


@dataclass
class CapturedOutput:
    """What the learner's code printed: the head and tail, and how much in all."""

    head: bytearray = field(default_factory=bytearray)
    tail: bytearray = field(default_factory=bytearray)
    total_bytes: int = 0

    def add(self, chunk: bytes) -> None:
        self.total_bytes += len(chunk)
        room = OUTPUT_HEAD_BYTES - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail = (self.tail + chunk)[-OUTPUT_TAIL_BYTES:]

    def text(self) -> str:
        """The kept output as text, with a marker where the middle was dropped."""
        head = self.head.decode("utf-8", "replace")
        if not self.tail:
            return head
        omitted = self.total_bytes - len(self.head) - len(self.tail)
        gap = f"\n[... {omitted} bytes not shown ...]\n" if omitted else ""
        return head + gap + self.tail.decode("utf-8", "replace")


#: How often a long wait asks whether the learner's processes have run past their memory limit together, in s.
MEMORY_POLL = 0.25


class Channel:
    """The learner's file in one forked child, with a time budget for every wait on it.

    `spawn` forks it, and it waits, confined, until `begin` lets it import the learner's file; `await_ready`
    hears how the import went; `send` and `receive` carry requests and replies. `failure` is set once the
    process is gone (a timeout, a crash, tampering): every request after that is not run.
    """

    def __init__(self, path: Path, module_name: str, timeout: float):
        self.path = path
        self.module_name = module_name
        self.timeout = timeout
        self.remaining = timeout
        self.output = CapturedOutput()
        self.failure: LearnerError | None = None
        self.ready = False  # the import was awaited
        self.sibling_katas: dict[str, Path] = {}  # katas.<name> modules the learner's file imported: their files
        self.locate_hangs = True  # on a timeout, ask the child where it was (costs ~10 ms)
        self.on_progress: Callable[[dict], None] | None = None
        self.context = ""  # what the grader is checking (a configuration's label): said in a failure's words
        self._pid: int | None = None
        self._reaped = False
        self._killed = False  # by `kill`, not reaped yet
        self._over_memory = False  # its processes together ran past their memory limit (grader.sandbox.tree_memory)

    def spawn(self) -> None:
        """Start the child, which waits for `begin` before it imports the learner's file."""
        (requests_r, requests_w), (replies_r, replies_w) = os.pipe(), os.pipe()
        _widen_pipe(requests_w)
        _widen_pipe(replies_w)
        output_r, output_w = os.pipe()
        trace_r, trace_w = os.pipe()
        self.launcher = launcher()
        try:
            pid = self.launcher.start(self.path, self.module_name, (requests_r, replies_w, output_w, trace_w))
        finally:
            for fd in (requests_r, replies_w, output_w, trace_w):
                os.close(fd)
        self._pid = pid
        self._requests, self._replies, self._output, self._trace = requests_w, replies_r, output_r, trace_r
        for fd in (replies_r, output_r, trace_r):
            os.set_blocking(fd, False)
        self._frames = bytearray()  # the replies' frames as they arrive
        self._selector = selectors.DefaultSelector()
        for fd in (replies_r, output_r):
            self._selector.register(fd, selectors.EVENT_READ)

    def begin(self) -> None:
        """Let the child import the learner's file (protocol.BEGIN); `await_ready` hears how that went."""
        with suppress(OSError):  # a child gone already: await_ready says what happened to it
            write_all(self._requests, encode(BEGIN))

    def await_ready(self) -> None:
        """Wait for the import; a failure there is the channel's `failure` (fatal: nothing can run)."""
        self.ready = True
        try:
            message = self._await("import")
            if isinstance(message, Failure):
                raise errors.from_failure(message, errors.locate(self.path, message.frames), "", fatal=True)
            if not isinstance(message, Ready):
                raise self._tampered("import", "sent something else than word of its import")
            self.sibling_katas = {name: Path(file) for name, file in message.katas.items()}
        except LearnerError as error:
            self.failure = error
            self.failure.fatal = True

    def kill(self) -> None:
        """Kill the child and everything it started, collecting what it printed; `close` reaps them (a grader
        done with both of its processes kills both first: they then end side by side)."""
        if self._pid is not None and not self._reaped and not self._killed:
            self._drain_output()
            kill_group(self._pid)
            self._killed = True

    def close(self) -> None:
        """Stop the child and everything it started; collect the rest of its output."""
        if self._pid is None:
            return
        if not self._reaped:
            self.kill()  # its exit status tells nothing now that the grader is done with it: one request ends it
            self._over_memory = self.launcher.end_killed(self._pid)
            self._reaped = True
            self._drain_output()
        self._selector.close()
        for fd in (self._requests, self._replies, self._output, self._trace):
            with suppress(OSError):
                os.close(fd)
        self._pid = None

    def send(self, request: object, during: str) -> None:
        if self.failure is not None:
            raise errors.not_run(self.failure)
        try:
            write_all(self._requests, encode(request))
        except BrokenPipeError:
            raise self._died(during) from None

    def receive(self, during: str, wait: bool = True) -> Reply | None:
        """The reply to the request sent last; LearnerError when the learner's code did not return
        normally. With wait=False, None unless all of the reply has arrived already."""
        message = self._await(during, wait)
        if message is None:
            return None
        if isinstance(message, Failure):
            raise errors.from_failure(message, errors.locate(self.path, message.frames), self.context)
        if not isinstance(message, Reply):
            raise self._tampered(during, "sent something else than a reply")
        return message

    def _await(self, during: str, wait: bool = True) -> Ready | Reply | Failure | None:
        """Wait for the next message within the remaining budget, draining output meanwhile; with
        wait=False, never wait (and spend no budget): the message if all of it is here, else None."""
        started = time.monotonic()
        deadline = started + self.remaining
        try:
            if not wait:
                self._read_ready(0, during)
                return self._next_message()
            memory_check = started + MEMORY_POLL
            while (message := self._next_message()) is None:
                now = time.monotonic()
                if now >= deadline:
                    raise self._timed_out(during)
                self._read_ready(min(deadline, memory_check) - now, during)
                if time.monotonic() >= memory_check:
                    memory_check = time.monotonic() + MEMORY_POLL
                    if self.launcher.over_memory(self._pid):  # a process of its tree was ended for it: the
                        raise self._died(during)              # rest may wait for that one forever
            return message
        except UnsafeReply as exc:
            raise self._tampered(during, str(exc)) from None
        finally:
            if wait:
                self.remaining -= time.monotonic() - started

    def _next_message(self) -> Ready | Reply | Failure | None:
        """The next message that is not a progress report (those go to on_progress); None if none is here."""
        while (payload := next_payload(self._frames)) is not None:
            message = checked(decode_untrusted(payload))
            if not isinstance(message, Progress):
                return message
            if self.on_progress is not None:
                self.on_progress(message.report)
        return None

    def _read_ready(self, wait: float, during: str) -> None:
        """Read what the child sends within `wait` seconds: its output, and the frames of its replies."""
        for key, _ in self._selector.select(wait):
            chunk = _read_some(key.fd)
            if chunk is None:  # spurious wake-up
                continue
            if key.fd == self._output:
                if chunk:
                    self.output.add(chunk)
                else:
                    self._selector.unregister(key.fd)
            elif chunk:
                self._frames += chunk
            else:
                raise self._died(during)

    # -- what went wrong ---------------------------------------------------

    def _timed_out(self, during: str) -> LearnerError:
        location = self._stack_of_hung_child() if self.locate_hangs else None
        self._stop(grace=0)  # it is hung, not on its way out
        self.remaining = 0.0
        self.failure = errors.timed_out(self.timeout, during, self.context, location)
        return self.failure

    def _died(self, during: str) -> LearnerError:
        status = self._stop()
        self.failure = errors.over_memory(during, self.context) if self._over_memory else errors.died(status, during)
        return self.failure

    def _tampered(self, during: str, what: str) -> LearnerError:
        self._stop()
        self.failure = errors.tampered(during, what)
        return self.failure

    def _stop(self, grace: float = 0.02) -> int | None:
        """Kill the child; return its exit status (negative: killed by that signal). A child that is already
        on its way out gets `grace` seconds to finish, so that its own exit status (sys.exit, os._exit) can
        be reported."""
        self._drain_output()
        pid, started = self._pid, self.launcher
        code = started.wait(pid, block=False)
        if code is None and grace:
            time.sleep(grace)
            code = started.wait(pid, block=False)
        kill_group(pid)  # the child if still running, and anything it started
        if code is None:
            code = started.wait(pid, block=True)
        self._over_memory = started.end_run(pid)  # what it started and left behind, however it detached
        self._reaped = True
        self._drain_output()
        return code

    def _stack_of_hung_child(self) -> str | None:
        """Ask the hung child where it is (faulthandler dumps its stack on SIGUSR1)."""
        try:
            os.kill(self._pid, signal.SIGUSR1)
        except ProcessLookupError:
            return None
        dump = bytearray()
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            chunk = _read_some(self._trace)
            if chunk:
                dump += chunk
            elif dump:  # the dump is written in one go: a pause means it is complete
                break
            else:
                time.sleep(0.01)
        return errors.locate_dump(self.path, bytes(dump))

    def _drain_output(self) -> None:
        while chunk := _read_some(self._output):
            self.output.add(chunk)


def become_child(path: Path, module_name: str, requests_r: int, replies_w: int, output_w: int, trace_w: int,
                 jail: str | None = None) -> None:
    """In the learner's process (see grader.sandbox.launcher): rewire stdio, confine it in `jail` when given
    (grader.sandbox.confine), limit it, then serve. Never returns."""
    status = 0
    try:
        with suppress(OSError):  # a spawned process leads a session of its own already
            os.setpgid(0, 0)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(output_w, 1)
        os.dup2(output_w, 2)
        keep = sorted({0, 1, 2, requests_r, replies_w, trace_w})
        for low, high in zip(keep, keep[1:] + [65536]):
            os.closerange(low + 1, high)
        sys.stdin = open(0, "r", closefd=False)
        sys.stdout = open(1, "w", buffering=1, closefd=False, errors="replace")
        sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
        faulthandler.register(signal.SIGUSR1, file=trace_w, all_threads=False)
        sources = confine(path, jail) if jail else None  # limited there, before it loses /proc
        if sources is None:
            limit_resources()
        child.serve(path, module_name, requests_r, replies_w, sources)
    except BaseException:  # noqa: B902 -- nothing may escape into the parent's code
        status = 70
    finally:
        os._exit(status)


def _widen_pipe(fd: int) -> None:
    """Let the pipe hold PIPE_BYTES (Linux): arrays then cross in a few writes, not one per 64 KiB."""
    with suppress(ImportError, AttributeError, OSError):  # not Linux, or past pipe-max-size: keep the default
        import fcntl  # noqa: PLC0415 -- POSIX only

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _read_some(fd: int) -> bytes | None:
    """Up to PIPE_BYTES from a non-blocking pipe: b"" at end of file, None when nothing is waiting."""
    try:
        return os.read(fd, PIPE_BYTES)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""
