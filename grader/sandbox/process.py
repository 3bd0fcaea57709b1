"""Run the learner's file in a child process, under a time limit, and talk to it.

The child is forked from the grader (numpy is already imported, so it starts
in milliseconds), imports the learner's file and answers requests. Three pipes
connect them: requests down, replies up, and the child's stdout/stderr up,
captured apart from the scorecard. Whatever the child does (raise, hang,
exit, print megabytes, scribble on the reply pipe), the parent ends up with a
`LearnerError` that says what happened, never a hang or a traceback.
"""
from __future__ import annotations

import faulthandler
import fcntl
import linecache
import os
import re
import selectors
import signal
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from grader.sandbox import child
from grader.sandbox.allocator import fix_malloc_thresholds
from grader.sandbox.protocol import FrameReader, Ref, UnsafeReply, decode_untrusted, encode, write_all

#: Perturbation batches at least this large are shared with a twin process.
TWIN_MIN_BATCH = 16
_CORES = os.cpu_count() or 1
#: How much of what the learner prints is kept (the rest is counted, not stored).
OUTPUT_HEAD_BYTES = 8000
OUTPUT_TAIL_BYTES = 2000
#: Requests and replies travel through pipes this large, where the system allows.
PIPE_BYTES = 1 << 20
_NOTHING = object()  # what _next_message gives while no whole reply has arrived


class LearnerError(Exception):
    """Learner code did not return normally: it raised, hung, exited or broke the pipe.

    Attributes:
        kind: 'not_started', 'raised', 'exit', 'interrupt', 'syntax', 'missing',
            'returned', 'timeout', 'died' or 'tampered'.
        summary: one sentence for the scorecard.
        location: "file line N: source" in the learner's file, when known.
        fatal: the learner's process is gone; later calls cannot run.
        exception_type: the exception's class name when the code raised ("ValueError").
    """

    def __init__(self, kind: str, summary: str, location: str | None = None, fatal: bool = False,
                 exception_type: str = ""):
        super().__init__(summary)
        self.kind = kind
        self.exception_type = exception_type
        self.summary = summary
        self.location = location
        self.fatal = fatal

    def describe(self) -> str:
        """The summary, and where in the learner's file (a stub's raise line says nothing new)."""
        if self.location and self.kind != "not_started":
            return f"{self.summary} ({self.location})"
        return self.summary


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

    @property
    def omitted_bytes(self) -> int:
        return self.total_bytes - len(self.head) - len(self.tail)

    def text(self) -> str:
        """The kept output as text, with a marker where the middle was dropped."""
        head = self.head.decode("utf-8", "replace")
        if not self.tail:
            return head
        gap = f"\n[... {self.omitted_bytes} bytes not shown ...]\n" if self.omitted_bytes else ""
        return head + gap + self.tail.decode("utf-8", "replace")


@dataclass(frozen=True)
class Returned:
    """What one learner call gave back."""

    value: object            # plain data and arrays; anything else as wire.Opaque
    ref: Ref                 # names the real return value, kept in the child
    seconds: float           # time inside the learner's function
    args_after: tuple | None  # (args, kwargs) as they were after the call, when asked for
    warnings: tuple[str, ...] = ()       # warnings the call raised ("RuntimeWarning: overflow ...")
    global_rng_changed: bool | None = None  # whether np.random's global state moved, when watched
    modified: tuple = ()     # positions and keywords of the grader's arrays the call changed in place


@dataclass(frozen=True)
class InputsModified:
    """A learner call that changed arrays the grader passed in.

    `arguments` are positions (0 for the first) and keywords, or (function,
    position) for an array passed to an earlier call of `function` whose
    result this call was handed (a cache that holds the caller's x); `context` is
    what the grader was checking then (LearnerProcess.context: a
    configuration's label, say); `calls` counts the calls of `function` in
    that context up to this one (2: it was a repeated call).
    """

    function: str
    arguments: tuple
    context: str
    calls: int


class _TwinJob:
    """A job start_in_twin gave the twin: its name, its deadline, and what came back before the row asked."""

    def __init__(self, key: str, during: str, deadline: float):
        self.key = key
        self.during = during
        self.deadline = deadline  # time.monotonic() by which it must have replied
        self.progress: list[dict] = []  # its reports, while nobody waits for it
        self.reply: tuple | LearnerError | None = None  # its reply or its error, once here


class LearnerProcess:
    """The learner's module in a forked child with a total time budget.

    Use as a context manager; `call` and `perturbed_outputs` raise LearnerError
    when the learner's code does not return normally.
    """

    def __init__(self, path: Path, module_name: str, timeout: float):
        self.path = Path(path).resolve()
        self.module_name = module_name
        self.timeout = timeout
        self.remaining = timeout
        self.output = CapturedOutput()
        self.failure: LearnerError | None = None   # sticky: set once the process is gone
        self._next_id = 0
        self._pid: int | None = None
        self._reaped = False
        self._on_progress = None
        self._twin_process: LearnerProcess | None | bool = None  # None: no spare core; False: it failed
        self._job: _TwinJob | None = None  # what start_in_twin gave the twin, until finish_in_twin collects it
        self._ready = False  # the child's import was awaited
        self.locate_hangs = True  # on a timeout, ask the child where it was (costs ~10 ms)
        self.sibling_katas: dict[str, Path] = {}  # katas.<name> modules the learner's file imported: their files
        #: What the grader is checking while it calls (set by Session.about); recorded with each modification.
        self.context = ""
        #: Every call, of this process or its twin, that changed the grader's arrays in place.
        self.modifications: list[InputsModified] = []
        self._calls: dict[tuple[str, str], int] = {}  # (function, context) -> calls so far
        self._functions: dict[int, str] = {}  # call id -> the function it called, to name its arguments later

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> "LearnerProcess":
        fix_malloc_thresholds()  # before the fork: the learner's process and the grader allocate alike
        self._spawn()
        if _CORES >= 2:  # the twin imports the learner's file now, beside this process, not at its first use
            self._twin_process = LearnerProcess(self.path, self.module_name, self.timeout)
            self._twin_process._spawn()
        self._await_ready()
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _spawn(self) -> None:
        """Fork the child, which imports the learner's file; `_await_ready` hears how that went."""
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        for fd in (requests_w, replies_w):
            _widen_pipe(fd)
        output_r, output_w = os.pipe()
        trace_r, trace_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _become_child(self.path, self.module_name, requests_r, replies_w, output_w, trace_w)
        for fd in (requests_r, replies_w, output_w, trace_w):
            os.close(fd)
        try:
            os.setpgid(pid, pid)
        except OSError:  # the child got there first, or already exited
            pass
        self._pid = pid
        self._requests = requests_w
        self._replies = replies_r
        self._output = output_r
        self._trace = trace_r
        for fd in (replies_r, output_r, trace_r):
            os.set_blocking(fd, False)
        self._frames = FrameReader()
        self._selector = selectors.DefaultSelector()
        self._selector.register(replies_r, selectors.EVENT_READ)
        self._selector.register(output_r, selectors.EVENT_READ)

    def _await_ready(self) -> None:
        self._ready = True
        try:
            status, payload = self._await("import")
            if status == "error":
                raise self._learner_error(payload, during="import", import_failed=True)
            if isinstance(payload, dict) and isinstance(payload.get("katas"), dict):
                self.sibling_katas = {str(name): Path(str(file)) for name, file in payload["katas"].items()}
        except LearnerError as error:
            self.failure = error
            self.failure.fatal = True

    def close(self) -> None:
        """Stop the child and everything it started; collect the rest of its output."""
        if self._twin_process:
            self._twin_process.close()
        if self._pid is None:
            return
        if not self._reaped:
            self._stop(grace=0)
        self._selector.close()
        for fd in (self._requests, self._replies, self._output, self._trace):
            try:
                os.close(fd)
            except OSError:
                pass
        self._pid = None

    # -- requests ----------------------------------------------------------

    def call(self, fn: str | Ref, *args, send: tuple[int, ...] | None = None, return_args: bool = False,
             watch_global_rng: bool = False, watch_inputs: bool = True, **kwargs) -> Returned:
        """Call learner function `fn(*args, **kwargs)` in the child.

        `fn` is a function of the learner's module, or a Ref to something
        callable kept in the child (a method: `model.ref.attr("loss")`).
        `args` may hold Refs to earlier results (the learner's cache). With
        `send`, only those items of a tuple result are copied back (`send=()`:
        of any result, only a plain scalar). With
        `return_args`, the arguments come back as they were after the call.
        With `watch_global_rng`, the reply says whether np.random's global
        state changed during the call. Every call reports the arrays it
        modified in place (see `modifications`), but with
        `watch_inputs=False`: a timed call, whose inputs are not copied.
        """
        during = fn.label if isinstance(fn, Ref) else fn
        return self._call({"op": "call", "fn": fn}, during, args, kwargs, send=send, return_args=return_args,
                          watch_global_rng=watch_global_rng, watch_inputs=watch_inputs)

    def put(self, value: object, label: str = "value") -> Ref:
        """Send `value` once and keep it in the child; pass the Ref to later calls instead of the value."""
        self._next_id += 1
        self._request({"op": "put", "id": self._next_id, "value": value}, during=f"storing {label}")
        return Ref(self._next_id, label=label)

    def run_in_child(self, module: str, function: str, *args, on_progress=None, **kwargs) -> Returned:
        """Run trusted grader code next to the learner's: `module.function(learner_module, *args,
        report=..., **kwargs)` in the child (a training loop, say), Refs in `args` resolved there.

        Each `report(dict)` it makes reaches `on_progress(dict)` here while the call runs.
        """
        self._on_progress = on_progress
        try:
            return self._call({"op": "run", "module": module, "fn": function}, function, args, kwargs)
        finally:
            self._on_progress = None

    def _call(self, request: dict, during: str, args: tuple, kwargs: dict, **options) -> Returned:
        self._next_id += 1
        call_id = self._next_id
        self._functions[call_id] = during
        value, args_after, seconds, extras = self._request(
            {**request, "id": call_id, "during": during, "args": args, "kwargs": kwargs, **options}, during=during)
        extras = extras if isinstance(extras, dict) else {}
        modified = self._note_call(during, extras)
        return Returned(value, Ref(call_id, label=f"{during}()"), seconds, args_after,
                        tuple(str(w) for w in extras.get("warnings", ())), extras.get("global_rng_changed"),
                        modified)

    def _note_call(self, during: str, extras: dict, count: int = 1) -> tuple:
        """Count `count` calls of `during` in the current context; record the arrays they changed, if any.

        count=0: calls at moved inputs (numerical gradients), each with inputs of its own, so none is a
        repeated call and none is counted.
        """
        key = (during, self.context)
        self._calls[key] = self._calls.get(key, 0) + count
        modified = extras.get("modified")
        arguments = tuple(item for item in modified if isinstance(item, (int, str)) and not isinstance(item, bool)) \
            if isinstance(modified, list) else ()
        if arguments:
            self.modifications.append(InputsModified(during, arguments, self.context, self._calls[key]))
        earlier = extras.get("modified_earlier")
        for item in earlier if isinstance(earlier, list) else ():
            # An array an earlier call was given, changed by this one (through that call's result, a cache).
            if isinstance(item, list) and len(item) == 2 and item[0] in self._functions and \
                    isinstance(item[1], (int, str)) and not isinstance(item[1], bool):
                self.modifications.append(InputsModified(during, ((self._functions[item[0]], item[1]),),
                                                         self.context, self._calls[key]))
        return arguments

    def perturbed_outputs(self, fn: str, args: tuple, kwargs: dict, wrt: int,
                          indices: np.ndarray, h: float, item: int | None) -> tuple[np.ndarray, float]:
        """Outputs of `fn` with flat element i of args[wrt] moved by +h and -h, for each i.

        Returns (outputs, seconds): outputs has shape (len(indices), 2, *out_shape);
        `item` picks the output out of a tuple result (None: the result itself);
        seconds is the learner's time, summed over processes. Large batches are
        split with a twin process (the same file, imported again) so that both
        cores work: numerical gradients are most of a grading run's time.
        """
        return self.perturbed_outputs_at(fn, args, kwargs, [(wrt, int(i)) for i in indices], h, item)

    def perturbed_outputs_at(self, fn: str, args: tuple, kwargs: dict, points: list[tuple[int, int]],
                             h: float, item: int | None) -> tuple[np.ndarray, float]:
        """perturbed_outputs for points (wrt, flat index) that may move different arguments: one request
        (shared with the twin) for a case's every input, as the outputs all have one shape."""
        request = {"op": "perturb", "fn": fn, "during": fn, "args": args, "kwargs": kwargs, "h": h, "item": item}
        return self._split(lambda part: {**request, "points": part}, points, fn, TWIN_MIN_BATCH)

    def run_split_in_child(self, module: str, function: str, indices, *args, min_split: int = TWIN_MIN_BATCH,
                           **kwargs) -> tuple[np.ndarray, float]:
        """`module.function(learner_module, *args, indices=part, report=..., **kwargs)`, trusted grader code
        (see run_in_child) that returns an array with one row per index in `part`.

        Large batches are split with the twin process, as in perturbed_outputs,
        so the arguments must be plain data, never Refs (the twin holds
        nothing of this process's); `min_split` indices are worth splitting
        when each is costly. Returns (rows for every index, seconds).
        """
        self._next_id += 1  # the child keeps each result under its request's id
        request = {"op": "run", "id": self._next_id, "module": module, "fn": function, "during": function,
                   "args": args}
        return self._split(lambda part: {**request, "kwargs": {**kwargs, "indices": part}},
                           [int(i) for i in indices], function, min_split)

    def start_in_twin(self, key: str, module: str, function: str, *args, **kwargs) -> bool:
        """Start `module.function` (trusted grader code, as run_in_child) on the twin, in the background.

        The twin works on it while this process answers the rows above the
        one that needs it (a training run beside the gradient checks); that
        row collects it with finish_in_twin(key). Until the job has replied,
        large batches are not shared with the twin. The arguments must be
        plain data (the twin holds nothing of this process's). False where
        there is no twin to take it: the row then runs it here. One job at a
        time.
        """
        twin = None if self._job else self._twin()
        if twin is None:
            return False
        self._next_id += 1
        try:
            twin._send({"op": "run", "id": self._next_id, "module": module, "fn": function, "during": function,
                        "args": args, "kwargs": kwargs}, function)
        except LearnerError:
            self._drop_twin()
            return False
        # The job's time counts from now, though nobody waits for it yet.
        self._job = _TwinJob(key, function, time.monotonic() + min(twin.remaining, self.remaining))
        twin._on_progress = self._job.progress.append  # kept for the row, which may not be running yet
        return True

    def finish_in_twin(self, key: str, on_progress=None) -> tuple[object, float] | None:
        """(value, seconds) of the job start_in_twin(key) began, waiting for it; None if none was started.

        Its progress reports reach `on_progress` now, those sent meanwhile first.
        Raises LearnerError as a call here would: for the learner's code in the
        twin, and (not run) when this process has already failed.
        """
        job = self._job
        if job is None or job.key != key:
            return None
        self._job = None
        if self.failure is not None:  # as every row after a fatal failure: not run
            self._drop_twin()
            raise self._not_run()
        if on_progress is not None:
            for report in job.progress:  # sent while nobody waited: handed over first
                on_progress(report)
        if job.reply is None:  # still at work: wait for it, within the job's time
            twin = self._twin_process
            twin.remaining = max(0.0, min(twin.remaining, job.deadline - time.monotonic(), self.remaining))
            twin._on_progress = on_progress
            try:
                job.reply = twin._receive(job.during)
            except LearnerError:
                self._drop_twin()
                raise
            finally:
                twin._on_progress = None
        if isinstance(job.reply, LearnerError):
            raise job.reply
        value, _, seconds, _ = job.reply
        return value, seconds

    def _job_replied(self) -> bool:
        """Whether the twin's job has replied, without waiting; the reply (or the error) is kept for the row."""
        job, twin = self._job, self._twin_process
        try:
            job.reply = twin._receive(job.during, wait=False)
        except LearnerError as error:
            job.reply = error
            self._drop_twin()
            return True
        if job.reply is not None:
            twin._on_progress = None
            twin.remaining = max(0.0, job.deadline - time.monotonic())  # what the job left of its time
        return job.reply is not None

    def _split(self, request_for: Callable[[list], dict], indices: list, during: str,
               min_split: int) -> tuple[np.ndarray, float]:
        """Send request_for(indices), or half of them to the twin and half here; gather the array replies."""
        twin = self._twin() if len(indices) >= min_split else None
        if twin is None:
            self._send(request_for(indices), during)
            outputs, seconds, extras = self._array_reply(during)
            self._note_call(during, extras, count=0)
            return outputs, seconds
        half = len(indices) // 2
        try:
            twin._send(request_for(indices[half:]), during)
            self._send(request_for(indices[:half]), during)
            outputs, seconds, extras = self._array_reply(during)
            more, twin_seconds, twin_extras = twin._array_reply(during)
        except LearnerError:
            # A reply may still be on its way from the twin: it can never be trusted to pair up again.
            self._drop_twin()
            raise
        self._note_call(during, extras, count=0)
        self._note_call(during, twin_extras, count=0)  # the twin's reports are kept here
        if more.shape[1:] != outputs.shape[1:]:
            raise LearnerError("returned",
                               f"{during} returned outputs of different shapes for inputs of the same shape")
        return np.concatenate([outputs, more]), seconds + twin_seconds

    def _array_reply(self, during: str) -> tuple[np.ndarray, float, dict]:
        outputs, _, seconds, extras = self._receive(during)
        if not isinstance(outputs, np.ndarray):
            raise self._tampered(during, "sent something other than an array")
        return outputs, seconds, extras if isinstance(extras, dict) else {}

    def _twin(self) -> "LearnerProcess | None":
        """A second process running the learner's file, on machines with a core to spare; None while
        it works on a job of start_in_twin."""
        if self._job is not None and self._job.reply is None and not self._job_replied():
            return None
        twin = self._twin_process
        if isinstance(twin, LearnerProcess) and not twin._ready:
            twin.remaining = min(twin.remaining, self.remaining)
            twin._await_ready()
            if twin.failure is not None:
                self._drop_twin()
        return self._twin_process or None

    def _drop_twin(self) -> None:
        """Stop using the twin for good (its replies can no longer be trusted to pair up with requests)."""
        if self._twin_process:
            self._twin_process.close()
        self._twin_process = False

    def _request(self, request: dict, during: str) -> tuple:
        self._send(request, during)
        return self._receive(during)

    def _send(self, request: dict, during: str) -> None:
        if self.failure is not None:
            raise self._not_run()
        try:
            write_all(self._requests, encode(request))
        except BrokenPipeError:
            raise self._died(during) from None

    def _receive(self, during: str, wait: bool = True) -> tuple | None:
        """The reply to the request just sent: (value, args_after, seconds, extras).

        With wait=False, None unless all of it has arrived already.
        """
        reply = self._await(during) if wait else self._poll(during)
        if reply is None:
            return None
        status, payload = reply
        if status == "error":
            raise self._learner_error(payload, during)
        if status != "ok" or not isinstance(payload, tuple) or len(payload) != 4:
            raise self._tampered(during, "sent a malformed reply")
        return payload

    def _await(self, during: str) -> tuple[str, object]:
        """Wait for the next reply within the remaining budget, draining output meanwhile."""
        started = time.monotonic()
        deadline = started + self.remaining
        try:
            while (message := self._next_message()) is _NOTHING:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    raise self._timed_out(during)
                self._read_ready(wait, during)
        except UnsafeReply as exc:
            raise self._tampered(during, str(exc)) from None
        finally:
            self.remaining -= time.monotonic() - started
        return self._status(message, during)

    def _poll(self, during: str) -> tuple[str, object] | None:
        """As _await, but never waits: the reply if all of it is here, else None."""
        try:
            self._read_ready(0, during)
            message = self._next_message()
        except UnsafeReply as exc:
            raise self._tampered(during, str(exc)) from None
        return None if message is _NOTHING else self._status(message, during)

    def _next_message(self) -> object:
        """The next message that is not a progress report (those go to _progress); _NOTHING if none is here."""
        while (payload := self._frames.next_payload()) is not None:
            message = decode_untrusted(payload)
            if not (isinstance(message, tuple) and message and message[0] == "progress"):
                return message
            self._progress(message[1:])
        return _NOTHING

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
                self._frames.feed(chunk)
            else:
                raise self._died(during)

    def _status(self, message: object, during: str) -> tuple[str, object]:
        """A reply message as (status, payload); a malformed one is tampering."""
        if isinstance(message, tuple) and message:
            if message[0] == "ok" and len(message) == 5:
                return "ok", message[1:]
            if message[0] in ("error", "ready") and len(message) == 2:
                return message[0], message[1]
        raise self._tampered(during, "sent a malformed reply")

    def _progress(self, items: tuple) -> None:
        """Hand a progress report to whoever asked for it; a bad one is dropped, not fatal."""
        if self._on_progress is not None and len(items) == 1 and isinstance(items[0], dict):
            self._on_progress(items[0])

    # -- what went wrong ---------------------------------------------------

    def _learner_error(self, info: object, during: str, import_failed: bool = False) -> LearnerError:
        if not isinstance(info, dict):
            return self._tampered(during, "sent a malformed error report")
        kind = str(info.get("kind", "raised"))
        name = str(info.get("type", ""))
        message = str(info.get("message", ""))
        location = self._locate(info.get("frames") or [])
        where = "importing your file" if during == "import" else during
        if kind == "syntax":
            summary = f"{name} in your file: {message}"
        elif kind == "not_started":
            summary = f"not started: {where} raises NotImplementedError"
        elif kind == "exit":
            summary = f"{where} called sys.exit({message})"
        elif kind in ("missing", "returned"):
            summary = f"{where} {message}" if kind == "returned" else message
        else:
            summary = f"{where} raised {name}" + (f": {message}" if message else "")
        if self.context and kind in ("raised", "exit", "returned", "interrupt"):
            summary = f"{self.context}: {summary}"  # the configuration it happened in
        return LearnerError(kind, summary, location, fatal=import_failed, exception_type=name)

    def _not_run(self) -> LearnerError:
        """What every request after a fatal failure gets: not run, and why."""
        return LearnerError("not_run", f"not run: {self.failure.summary}", self.failure.location, fatal=True)

    def _timed_out(self, during: str) -> LearnerError:
        location = self._stack_of_hung_child() if self.locate_hangs else None
        self._stop(grace=0)  # it is hung, not on its way out
        self.remaining = 0.0
        context = f" ({self.context})" if self.context else ""
        self.failure = LearnerError(
            "timeout", f"timed out: your code ran past the {self.timeout:g} s limit {_while(during)}{context}",
            location, fatal=True)
        return self.failure

    def _died(self, during: str) -> LearnerError:
        status = self._stop()
        if status is not None and status < 0:
            how = f"was killed by signal {signal.Signals(-status).name}"
        else:
            how = f"exited with status {status}" + (" (os._exit?)" if status is not None else "")
        self.failure = LearnerError(
            "died", f"your code ended its own process: it {how} {_while(during)}", fatal=True)
        return self.failure

    def _tampered(self, during: str, what: str) -> LearnerError:
        self._stop()
        self.failure = LearnerError(
            "tampered", f"your code interfered with the grader's process {_while(during)}: it {what}",
            fatal=True)
        return self.failure

    def _stop(self, grace: float = 0.02) -> int | None:
        """Kill the child; return its exit status (negative: killed by that signal).

        A child that is already on its way out gets `grace` seconds to finish,
        so that its own exit status (sys.exit, os._exit) can be reported.
        """
        self._drain_output()
        pid, status = self._pid, None
        try:
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished == 0 and grace:
                time.sleep(grace)
                finished, status = os.waitpid(pid, os.WNOHANG)
            _kill_group(pid)  # the child if still running, and anything it started
            if finished == 0:
                _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        self._reaped = True
        self._drain_output()
        return os.waitstatus_to_exitcode(status)

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
        frames = [(path, int(line), name) for path, line, name in
                  re.findall(r'File "(.+?)", line (\d+) in (\S+)', dump.decode("utf-8", "replace"))]
        # faulthandler lists the most recent call first; _locate wants it last.
        return self._locate(list(reversed(frames)))

    def _locate(self, frames: list) -> str | None:
        """'your file line N: source' for the innermost frame in the learner's own code.

        When that frame is in another of the learner's modules (a helper the
        file imports, a sibling kata), it is named, with the line of the
        graded file that led there: 'helpers.py line 5: ..., called from
        conv2d.py line 30: ...'.
        """
        own = []
        for frame in frames:
            try:
                filename, line = str(frame[0]), int(frame[1])
            except (TypeError, ValueError, IndexError):
                continue
            if _same_file(filename, self.path):
                own.append((self.path, line))
            elif _learners_module(filename):
                own.append((Path(filename), line))
        if not own:
            return None
        path, line = own[-1]
        where = _source_line(path, line)
        if path != self.path:
            graded = [line for path, line in own if path == self.path]
            if graded:
                where += f", called from {_source_line(self.path, graded[-1])}"
        return where

    def _drain_output(self) -> None:
        while True:
            chunk = _read_some(self._output)
            if not chunk:
                return
            self.output.add(chunk)


def _become_child(path: Path, module_name: str, requests_r: int, replies_w: int,
                  output_w: int, trace_w: int) -> None:
    """In the forked child: rewire stdio, then serve. Never returns."""
    status = 0
    try:
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
        child.serve(path, module_name, requests_r, replies_w)
    except BaseException:  # noqa: B902 -- nothing may escape into the parent's code
        status = 70
    finally:
        os._exit(status)


def _kill_group(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


def _widen_pipe(fd: int) -> None:
    """Let the pipe hold PIPE_BYTES (Linux): arrays then cross in a few writes, not one per 64 KiB."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):  # not Linux, or above /proc/sys/fs/pipe-max-size: keep the default
        pass


def _read_some(fd: int) -> bytes | None:
    """Up to PIPE_BYTES from a non-blocking pipe: b"" at end of file, None when nothing is waiting."""
    try:
        return os.read(fd, PIPE_BYTES)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""


def _source_line(path: Path, line: int) -> str:
    """'name.py line N: the source line' (without the source when it cannot be read)."""
    source = linecache.getline(str(path), line).strip()
    return f"{path.name} line {line}" + (f": {source}" if source else "")


#: Where code that is not the learner's lives: Python's own library, installed packages, the grader.
_LIBRARY_DIRS = tuple({Path(sysconfig.get_paths()[key]).resolve() for key in ("stdlib", "platstdlib", "purelib", "platlib")}
                      | {Path(__file__).resolve().parents[1]})


def _learners_module(filename: str) -> bool:
    """Whether a traceback's file is the learner's own code: a real file outside the library and the grader."""
    if filename.startswith("<"):
        return False
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return False
    return path.suffix == ".py" and path.is_file() and not any(path.is_relative_to(root) for root in _LIBRARY_DIRS)


def _same_file(filename: str, path: Path) -> bool:
    try:
        return Path(filename).resolve() == path
    except (OSError, ValueError):
        return False


def _while(during: str) -> str:
    return "while importing your file" if during == "import" else f"in {during}"
