"""The learner's file in a process of its own, as the grader talks to it.

A LearnerProcess is the main channel to that process (grader.sandbox.channel),
a twin on a machine with a core to spare (grader.sandbox.twin), and the
bookkeeping of the calls: their ids, what the grader was checking while it
made them (`context`), and which calls modified the grader's arrays in place
(`modifications`). Use it as a context manager; every request raises
LearnerError when the learner's code does not return normally.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from grader.sandbox.allocator import fix_malloc_thresholds
from grader.sandbox.channel import CapturedOutput, Channel
from grader.sandbox.errors import LearnerError
from grader.sandbox.protocol import Call, Perturb, Put, Ref, Reply, Run
from grader.sandbox.twin import Twin

#: Perturbation batches at least this large are shared with a twin process.
TWIN_MIN_BATCH = 16
_CORES = os.cpu_count() or 1


class Returned(NamedTuple):
    """What one learner call gave back."""

    value: object            # plain data and arrays; anything else as protocol.Opaque
    ref: Ref                 # names the real return value, kept in the child
    seconds: float           # time inside the learner's function
    args_after: tuple | None  # (args, kwargs) as they were after the call, when asked for
    warnings: tuple[str, ...] = ()       # warnings the call raised ("RuntimeWarning: overflow ...")
    global_rng_changed: bool | None = None  # whether np.random's global state moved, when watched
    modified: tuple = ()     # positions and keywords of the grader's arrays the call changed in place


class InputsModified(NamedTuple):
    """A learner call that changed arrays the grader passed in."""

    function: str
    #: Positions (0 for the first) and keywords, or (function, position) for an array passed to an earlier
    #: call of `function` whose result this call was handed (a cache that holds the caller's x).
    arguments: tuple
    context: str  # what the grader was checking then (LearnerProcess.context: a configuration's label, say)
    calls: int  # the calls of `function` in that context up to this one (2: it was a repeated call)


class LearnerProcess:
    """The learner's module in a process of its own (and a twin), with a total time budget."""

    def __init__(self, path: Path, module_name: str, timeout: float, held: bool = False):
        """`held`: entering starts the processes, which wait, confined, for `begin` before they import the
        learner's file (the grader makes its last imports meanwhile); else entering begins them too."""
        self.held = held
        self.path = Path(path).resolve()
        self.module_name = module_name
        self.timeout = timeout
        self.main = Channel(self.path, module_name, timeout)
        self.twin = Twin(self.main, None)
        #: Every call, of this process or its twin, that changed the grader's arrays in place.
        self.modifications: list[InputsModified] = []
        self._next_id = 0
        self._calls: dict[tuple[str, str], int] = {}  # (function, context) -> calls so far
        self._functions: dict[int, str] = {}  # call id -> the function it called, to name its arguments later

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> "LearnerProcess":
        fix_malloc_thresholds()  # the grader allocates as the learner's processes do (the launcher's)
        self.main.spawn()
        if _CORES >= 2:  # the twin imports the learner's file beside the main process, not at its first use
            channel = Channel(self.path, self.module_name, self.timeout)
            channel.spawn()
            self.twin = Twin(self.main, channel)
        if not self.held:
            self.begin()
        return self

    def begin(self) -> None:
        """Let both processes import the learner's file, and wait for the main one's import."""
        self.main.begin()
        if self.twin.channel is not None:
            self.twin.channel.begin()
        self.main.await_ready()

    def __exit__(self, *exc_info) -> None:
        """Stop both processes and everything they started (both killed first, so that they end side by side)."""
        self.main.kill()
        self.twin.drop()
        self.main.close()

    # -- what the grader sees of it ----------------------------------------

    @property
    def failure(self) -> LearnerError | None:
        """What ended the main process (an import error, a hang, a crash), once it is gone."""
        return self.main.failure

    @property
    def confined(self) -> bool:
        """Whether the learner's processes are confined (as root: see grader.sandbox.confine)."""
        return self.main.launcher.confined

    @property
    def output(self) -> CapturedOutput:
        """What the learner's code printed in the main process."""
        return self.main.output

    @property
    def sibling_katas(self) -> dict[str, Path]:
        """The katas.<name> modules the learner's file imported: their files."""
        return self.main.sibling_katas

    @property
    def context(self) -> str:
        """What the grader is checking while it calls (set by Session.about): said in a failure's words
        and recorded with each modification."""
        return self.main.context

    @context.setter
    def context(self, context: str) -> None:
        self.main.context = context
        if self.twin.channel is not None:
            self.twin.channel.context = context

    @property
    def time_left(self) -> float:
        return self.main.remaining

    def limit_time(self, seconds: float) -> None:
        """From now on the main process has at most `seconds` in all, and a hang is not located (the
        speed line: stopping slow code there is no bug)."""
        self.main.remaining = min(self.main.remaining, seconds)
        self.main.locate_hangs = False

    # -- requests ----------------------------------------------------------

    def call(self, fn: str | Ref, *args, send: tuple[int, ...] | None = None, return_args: bool = False,
             watch_global_rng: bool = False, watch_inputs: bool = True, **kwargs) -> Returned:
        """Call learner function `fn(*args, **kwargs)` in the child (the options: see protocol.Call).

        `fn` is a function of the learner's module, or a Ref to something callable kept in the child (a
        method: `model.ref.attr("loss")`); `args` may hold Refs to earlier results (the learner's cache).
        Every call reports the arrays it modified in place (see `modifications`), unless
        `watch_inputs=False`: a timed call, whose inputs are not copied.
        """
        during = fn.label if isinstance(fn, Ref) else fn
        return self._returned(Call(self._new_id(during), fn, during, args, kwargs, send, return_args,
                                   watch_global_rng, watch_inputs))

    def put(self, value: object, label: str = "value") -> Ref:
        """Send `value` once and keep it in the child; pass the Ref to later calls instead of the value."""
        self._next_id += 1
        self.main.send(Put(self._next_id, value), f"storing {label}")
        self.main.receive(f"storing {label}")
        return Ref(self._next_id, label=label)

    def run_in_child(self, module: str, function: str, *args, on_progress=None, **kwargs) -> Returned:
        """Run trusted grader code next to the learner's: `module.function(learner_module, *args, report=...,
        **kwargs)` in the child (a training loop, say), Refs in `args` resolved there.

        Each `report(dict)` it makes reaches `on_progress(dict)` here while the call runs.
        """
        self.main.on_progress = on_progress
        try:
            return self._returned(Run(self._new_id(function), module, function, function, args, kwargs))
        finally:
            self.main.on_progress = None

    def perturbed_outputs(self, fn: str, args: tuple, kwargs: dict, wrt: int,
                          indices: np.ndarray, h: float, item: int | None) -> tuple[np.ndarray, float]:
        """Outputs of `fn` with flat element i of args[wrt] moved by +h and -h, for each i.

        Returns (outputs, seconds): outputs has shape (len(indices), 2, *out_shape); `item` picks the output
        out of a tuple result (None: the result itself); seconds is the learner's time, summed over
        processes. Large batches are split with the twin, so that both cores work.
        """
        return self.perturbed_outputs_at(fn, args, kwargs, [(wrt, int(i)) for i in indices], h, item)

    def perturbed_outputs_at(self, fn: str, args: tuple, kwargs: dict, points: list[tuple[int, int]],
                             h: float, item: int | None) -> tuple[np.ndarray, float]:
        """perturbed_outputs for points (wrt, flat index) that may move different arguments: one request
        (shared with the twin) for a case's every input, as the outputs all have one shape."""
        return self._rows(lambda part: Perturb(fn, fn, args, kwargs, h, item, tuple(part)), points, fn, TWIN_MIN_BATCH)

    def run_split_in_child(self, module: str, function: str, indices, *args, min_split: int = TWIN_MIN_BATCH,
                           **kwargs) -> tuple[np.ndarray, float]:
        """`module.function(learner_module, *args, indices=part, report=..., **kwargs)`, trusted grader code
        (see run_in_child) that returns an array with one row per index in `part`.

        Large batches are split with the twin, as in perturbed_outputs, so the arguments must be plain
        data, never Refs (the twin holds nothing of this process's); `min_split` indices are worth
        splitting when each is costly. Returns (rows for every index, seconds).
        """
        call_id = self._new_id(function)  # the child keeps each result under its request's id
        return self._rows(lambda part: Run(call_id, module, function, function, args, {**kwargs, "indices": part}),
                          [int(i) for i in indices], function, min_split)

    def start_in_twin(self, key: str, module: str, function: str, *args, **kwargs) -> bool:
        """Start `module.function` (trusted grader code, as run_in_child) on the twin, in the background.

        The twin works on it while this process answers the rows above the one that needs it (a training
        run beside the gradient checks); that row collects it with finish_in_twin(key). Until the job has
        replied, large batches are not shared with the twin. The arguments must be plain data (the twin
        holds nothing of this process's). False where there is no twin to take it: the row then runs it here.
        """
        self._next_id += 1
        return self.twin.start(key, Run(self._next_id, module, function, function, args, kwargs), function)

    def finish_in_twin(self, key: str, on_progress=None) -> tuple[object, float] | None:
        """(value, seconds) of the job start_in_twin(key) began, waiting for it; None if none was started."""
        reply = self.twin.finish(key, on_progress)
        return None if reply is None else (reply.value, reply.seconds)

    # -- bookkeeping -------------------------------------------------------

    def _new_id(self, during: str) -> int:
        self._next_id += 1
        self._functions[self._next_id] = during
        return self._next_id

    def _returned(self, request: Call | Run) -> Returned:
        self.main.send(request, request.during)
        reply = self.main.receive(request.during)
        return Returned(reply.value, Ref(request.id, label=f"{request.during}()"), reply.seconds, reply.args_after,
                        reply.warnings, reply.global_rng_changed, self._note_call(request.during, reply))

    def _rows(self, request_for, items: list, during: str, min_split: int) -> tuple[np.ndarray, float]:
        """The array replies to request_for(items), shared with the twin, joined row-wise."""
        replies = self.twin.split(request_for, items, during, min_split)
        for reply in replies:
            if not isinstance(reply.value, np.ndarray) or reply.value.ndim == 0:  # one row per item, always
                raise self.main._tampered(during, "sent something other than an array")
            self._note_call(during, reply, count=0)
        if any(reply.value.shape[1:] != replies[0].value.shape[1:] for reply in replies):
            raise LearnerError("returned",
                               f"{during} returned outputs of different shapes for inputs of the same shape")
        rows = np.concatenate([reply.value for reply in replies])
        if len(rows) != len(items):
            raise self.main._tampered(during, "sent a reply of the wrong length")
        return rows, sum(reply.seconds for reply in replies)

    def _note_call(self, during: str, reply: Reply, count: int = 1) -> tuple:
        """Count `count` calls of `during` in the current context (count=0: calls at moved inputs, each with
        inputs of its own, none repeated); record the arrays they changed, if any."""
        key = (during, self.context)
        self._calls[key] = self._calls.get(key, 0) + count
        if reply.modified:
            self.modifications.append(InputsModified(during, reply.modified, self.context, self._calls[key]))
        for call_id, argument in reply.modified_earlier:
            # An array an earlier call was given, changed by this one (through that call's result, a cache).
            if call_id in self._functions:
                self.modifications.append(InputsModified(during, ((self._functions[call_id], argument),),
                                                         self.context, self._calls[key]))
        return reply.modified
