"""Where the learner's processes come from: a clean process, never the grader as it grades.

The grader imports the katas' specs and references and computes expected
values; a process forked from it would hold all of that, where learner code
could find it (sys.modules, the stack it was forked in, the heap). So the
learner's processes start from an interpreter that has imported numpy and
the sandbox and nothing else of the grader:

    fork (Linux, the default)   a zygote, one per grader process, forks every learner process on request,
                                in milliseconds. `python -m grader` forks it from itself first thing, before
                                it imports any kata, spec or reference (its imports then run beside the
                                grader's); an in-process user (tests, the pytest plugin) gets a fresh
                                interpreter instead. The learner's processes are its children: it reaps them
                                and tells their exit status; it is their subreaper too, so that whatever
                                they start and orphan is its child, and is killed when their run ends.
    spawn (GRADER_START=spawn;  a fresh interpreter per learner process (~0.1 s more each): the start where
    where fork is missing)      fork is unsafe (macOS, whose Accelerate BLAS does not survive a fork) or
                                missing (Windows).

Either way the process gets the four pipes Channel made (requests, replies, output, trace), and runs
grader.sandbox.channel.become_child, which serves the learner's file; the launcher measures what its tree
holds when asked (grader.sandbox.tree_memory). Both give it one BLAS thread and the grader's malloc thresholds (see blas_threads,
allocator), and the grader's sys.path and directory.
"""
from __future__ import annotations

import atexit
import ctypes
import os
import pickle
import signal
import socket
import sys
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from grader.sandbox.blas_threads import ONE_THREAD_ENVIRONMENT
from grader.sandbox.tree_memory import LIMIT_BYTES, tree_memory

if TYPE_CHECKING:  # imported where a process is spawned (see _interpreter)
    import subprocess

_PR_SET_CHILD_SUBREAPER = 36  # from linux/prctl.h
_MESSAGE_BYTES = 1 << 16
#: The interpreters this process started (a zygote, spawned learner's processes): never taken for orphans.
_INTERPRETERS: set[int] = set()


def start_mode() -> str:
    """'fork' or 'spawn': GRADER_START if set to one of them, else fork where the system has it."""
    asked = os.environ.get("GRADER_START", "").strip().lower()
    if asked in ("fork", "spawn"):
        return asked if asked == "spawn" or hasattr(os, "fork") else "spawn"
    return "fork" if hasattr(os, "fork") and sys.platform.startswith("linux") else "spawn"


def _interpreter(code: str, pass_fds: tuple[int, ...]) -> subprocess.Popen:
    """A fresh Python running `code`, the grader importable in it, holding `pass_fds` and nothing else."""
    import subprocess  # noqa: PLC0415 -- spawn mode's; `python -m grader` forks, and spares the import (~2 ms)

    grader_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join([grader_root, *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {**os.environ, **ONE_THREAD_ENVIRONMENT, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
    # No stdio of the grader's: nothing started here may hold its output open after it exits.
    process = subprocess.Popen([sys.executable, "-c", code], pass_fds=pass_fds, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               close_fds=True, start_new_session=True)
    _INTERPRETERS.add(process.pid)
    return process


class Zygote:
    """One clean interpreter that forks the learner's processes (fork mode).

    Forked from the grader itself when that is still clean (`python -m grader` does it before importing
    anything else: no interpreter start-up to wait for), else started as a fresh interpreter.
    """

    def __init__(self, fork_now: bool = False) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._socket = ours
        if fork_now:
            self._pid = os.fork()
            if self._pid == 0:  # the zygote: never returns
                _become_zygote(theirs, ours)
            _INTERPRETERS.add(self._pid)
        else:
            self._pid = _interpreter(f"from grader.sandbox.launcher import serve_zygote; "
                                     f"serve_zygote({theirs.fileno()})", (theirs.fileno(),)).pid
        theirs.close()
        self._ready = False
        atexit.register(self.close)

    def close(self, wait: bool = True) -> None:
        """Hang up: the zygote ends everything it started, removes its jail, then itself; `wait` for that."""
        self._socket.close()
        if not wait:
            return
        for _ in range(5000):  # up to 5 s
            with suppress(ChildProcessError):
                if os.waitpid(self._pid, os.WNOHANG)[0] == 0:
                    time.sleep(0.001)
                    continue
            return
        with suppress(ProcessLookupError, ChildProcessError):
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)

    def start(self, path: Path, module_name: str, fds: tuple[int, int, int, int]) -> int:
        """Fork a learner's process holding `fds`; its pid."""
        return self._ask(("fork", str(path), module_name, list(sys.path), os.getcwd()), fds)

    def wait(self, pid: int, block: bool) -> int | None:
        """The process's exit code once it has ended (negative: the signal that killed it); None while it runs
        (block=False) or if it is not the zygote's."""
        return self._ask(("wait", pid, block))

    def over_memory(self, pid: int) -> bool:
        """Whether the learner's process `pid` and what it started have together run past their memory limit
        (grader.sandbox.tree_memory: measured now)."""
        return self._ask(("memory", pid))

    def end_run(self, pid: int) -> bool:
        """Kill and reap whatever the learner's process `pid` started and left behind (they are the zygote's);
        whether its processes together ran past their memory limit."""
        return self._ask(("end", pid))

    def end_killed(self, pid: int) -> bool:
        """end_run for the learner's process `pid`, which the grader has killed: reap it first (one request)."""
        return self._ask(("reap and end", pid))

    @property
    def confined(self) -> bool:
        """Whether the learner's processes it forks are confined (grader.sandbox.confine)."""
        self._await_ready()
        return self._confined

    def _await_ready(self) -> None:
        if not self._ready:
            self._confined = self._receive()  # word that the zygote's imports are done, and whether it confines
            self._ready = True

    def _ask(self, request: tuple, fds: tuple[int, ...] = ()):
        self._await_ready()
        socket.send_fds(self._socket, [pickle.dumps(request)], list(fds))
        return self._receive()

    def _receive(self):
        data = self._socket.recv(_MESSAGE_BYTES)
        if not data:
            raise OSError("the grader's zygote process ended")
        return pickle.loads(data)


class Spawner:
    """A fresh interpreter per learner process (spawn mode)."""

    def __init__(self) -> None:
        self._processes: dict[int, subprocess.Popen] = {}
        _become_subreaper()  # orphans of the learner's processes become ours (Linux), to end with their run
        self._jail = _make_jail()
        self.confined = self._jail is not None  # whether the learner's processes are confined
        self._over_memory: set[int] = set()  # the learner's processes whose tree ran past its memory limit
        atexit.register(self.close)

    def close(self, wait: bool = True) -> None:
        """Remove the jail (the learner's processes have ended by now)."""
        if self._jail:
            with suppress(OSError):
                os.rmdir(self._jail)

    def start(self, path: Path, module_name: str, fds: tuple[int, int, int, int]) -> int:
        code = (f"from grader.sandbox.launcher import run_spawned; run_spawned({str(path)!r}, {module_name!r}, "
                f"{list(fds)!r}, {list(sys.path)!r}, {os.getcwd()!r}, {self._jail!r})")
        process = _interpreter(code, fds)
        self._processes[process.pid] = process
        return process.pid

    def wait(self, pid: int, block: bool) -> int | None:
        process = self._processes.get(pid)
        if process is None:
            return None
        code = process.wait() if block else process.poll()
        if code is not None:
            del self._processes[pid]
            _INTERPRETERS.discard(pid)
        return code

    def over_memory(self, pid: int) -> bool:
        """Whether the learner's process `pid` and what it started have together run past their memory limit."""
        orphans = _children() - _INTERPRETERS
        return _over_memory(pid, orphans, self._over_memory)

    def end_run(self, pid: int) -> bool:
        """Kill and reap whatever the learner's process `pid` started and left behind: our children now (Linux;
        elsewhere, what left the process's group outlives it); whether its processes together ran past their
        memory limit."""
        _end_children(set(_INTERPRETERS), everyone=False)
        return _ended_over_memory(pid, self._over_memory)

    def end_killed(self, pid: int) -> bool:
        """end_run for the learner's process `pid`, which the grader has killed: reap it first."""
        self.wait(pid, block=True)
        return self.end_run(pid)


#: The launcher of each start mode this process used, started on first use.
_LAUNCHERS: dict[str, Zygote | Spawner] = {}


def _on_windows() -> bool:
    return sys.platform == "win32"


class UnsupportedSystem(RuntimeError):
    """The learner's process cannot be started on this system; the message says what to use instead."""


def launcher() -> Zygote | Spawner:
    """This grader process's launcher for the start mode asked for now (GRADER_START), started on first use;
    UnsupportedSystem on Windows (the learner's process is handed POSIX pipe descriptors)."""
    if _on_windows():
        raise UnsupportedSystem("grading runs your code in a process of its own, talked to through POSIX pipes, "
                                "which Windows lacks: run the grader in WSL (Windows Subsystem for Linux); the "
                                "katas, hints and solutions work here")
    mode = start_mode()
    if mode not in _LAUNCHERS:
        _LAUNCHERS[mode] = Zygote() if mode == "fork" else Spawner()
    return _LAUNCHERS[mode]


def close_all(wait: bool = True) -> None:
    """Close the launchers this process started (what atexit would do, for a process that leaves by os._exit);
    a grading after this starts new ones. Without `wait`, a zygote finishes its clean-up on its own."""
    while _LAUNCHERS:
        _LAUNCHERS.popitem()[1].close(wait)


def start_early() -> None:
    """Start the launcher now, while this process has imported nothing of the katas, their specs or references:
    in fork mode the zygote is forked from it, sparing an interpreter's start-up (`python -m grader` calls
    this first thing, so that the zygote's imports run beside the grader's own)."""
    if start_mode() == "fork" and "fork" not in _LAUNCHERS:
        _LAUNCHERS["fork"] = Zygote(fork_now=True)
    with suppress(UnsupportedSystem):  # said when something is graded; the other commands work
        launcher()


# -- the other side: in the zygote, and in a spawned learner's process ---------------

def _prepare(sys_path: list[str], cwd: str) -> None:
    """Take the grader's sys.path and directory, and its malloc rules, before the learner's file is read."""
    from grader.sandbox.allocator import fix_malloc_thresholds  # noqa: PLC0415

    sys.path[:] = sys_path
    with suppress(OSError):
        os.chdir(cwd)
    fix_malloc_thresholds()


def _load_sandbox() -> None:
    """What a learner's process needs of the grader, imported before any learner code runs."""
    import numpy  # noqa: F401, PLC0415

    import grader.sandbox.channel  # noqa: F401, PLC0415
    import grader.sandbox.confine  # noqa: F401, PLC0415
    import grader.sandbox.trusted.draws  # noqa: F401, PLC0415
    import grader.sandbox.trusted.step_functions  # noqa: F401, PLC0415
    import grader.sandbox.trusted.timed_pass  # noqa: F401, PLC0415
    import grader.sandbox.trusted.training  # noqa: F401, PLC0415


def run_spawned(path: str, module_name: str, fds: list[int], sys_path: list[str], cwd: str,
                jail: str | None) -> None:
    """A spawned learner's process: serve the learner's file on `fds` (confined in `jail`, if given). Never
    returns."""
    _load_sandbox()
    _prepare(sys_path, cwd)
    from grader.sandbox.channel import become_child  # noqa: PLC0415

    become_child(Path(path), module_name, *fds, jail=jail)


def _become_zygote(theirs: socket.socket, ours: socket.socket) -> None:
    """In the process forked from a clean grader: leave its session and its output, then serve. Never returns."""
    try:
        ours.close()
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # nothing of the grader's output held open
            os.dup2(devnull, fd)
        os.environ.update(ONE_THREAD_ENVIRONMENT)  # before numpy loads
        serve_zygote(theirs.fileno())
    finally:
        os._exit(0)


def serve_zygote(fd: int) -> None:
    """The zygote: fork a learner's process per request, tell exit codes, end orphans, until the grader goes."""
    _load_sandbox()
    _become_subreaper()  # orphans of the learner's processes become ours, to end with them
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the grader's to handle; it ends us
    jail = _make_jail()
    if jail:  # what a confined process can no longer import later: once here, not in every process forked
        from grader.sandbox.confine import preload  # noqa: PLC0415

        preload()
    channel = socket.socket(fileno=fd)
    started: set[int] = set()  # the learner's processes, as opposed to their orphans
    over_memory: set[int] = set()  # those whose tree ran past its memory limit
    try:
        channel.send(pickle.dumps(jail is not None))  # ready, and whether the learner's processes are confined
        while data := _next_request(channel):
            request, fds = pickle.loads(data[0]), data[1]
            if request[0] == "fork":
                _, path, module_name, sys_path, cwd = request
                pid = os.fork()
                if pid == 0:  # the learner's process: never returns, nor runs the zygote's clean-up below
                    try:
                        channel.close()
                        _prepare(sys_path, cwd)
                        from grader.sandbox.channel import become_child  # noqa: PLC0415

                        become_child(Path(path), module_name, *fds, jail=jail)
                    finally:
                        os._exit(70)
                for received in fds:
                    os.close(received)
                started.add(pid)
                answer: object = pid
            elif request[0] == "wait":
                answer = _exit_code(request[1], request[2])
                if answer is not None:
                    started.discard(request[1])
            elif request[0] == "memory":
                pid = request[1]
                answer = _over_memory(pid, _children() - started, over_memory)
            elif request[0] == "reap and end":  # the grader killed it: "wait" and "end" in one request
                pid = request[1]
                _exit_code(pid, True)
                started.discard(pid)
                _end_children(started, everyone=False)
                answer = _ended_over_memory(pid, over_memory)
            else:  # "end"
                _end_children(started, everyone=False)
                answer = _ended_over_memory(request[1], over_memory)
            channel.send(pickle.dumps(answer))
    except OSError:  # the grader went away, maybe before we were even ready
        pass
    finally:  # the grader is gone: so is everything we started
        _end_children(started, everyone=True)
        if jail:
            with suppress(OSError):
                os.rmdir(jail)
        os._exit(0)


def _next_request(channel: socket.socket) -> tuple[bytes, list[int]] | None:
    """The grader's next request and the descriptors it came with; None once the grader has hung up."""
    try:
        data, fds, _, _ = socket.recv_fds(channel, _MESSAGE_BYTES, 4)
    except OSError:
        return None
    return (data, fds) if data else None


def _make_jail() -> str | None:
    """An empty directory for the learner's processes to chroot into, where they can be confined (root)."""
    import tempfile  # noqa: PLC0415 -- the launcher's (a zygote's), not the grader's: it spares the import (~3 ms)

    from grader.sandbox.confine import can_confine  # noqa: PLC0415

    if not can_confine():
        return None
    for stale in Path(tempfile.gettempdir()).glob("grader-jail-*-*"):  # of a grader killed before its clean-up
        if not _runs(stale.name.split("-")[2]):
            with suppress(OSError):
                stale.rmdir()
    return tempfile.mkdtemp(prefix=f"grader-jail-{os.getpid()}-")


def _over_memory(pid: int, orphans: set[int], over: set[int]) -> bool:
    """Whether the learner's process `pid`, what it started and `orphans` (what the learner's processes left
    to the launcher) hold more than their memory limit together, measured now; `pid` is then noted in `over`
    (the channel ends the tree, and end_run says why)."""
    if pid not in over and tree_memory({pid} | orphans) > LIMIT_BYTES:
        over.add(pid)
    return pid in over


def _ended_over_memory(pid: int, over: set[int]) -> bool:
    """Whether `pid`'s run was found over its memory limit (forgotten now: its run has ended)."""
    found = pid in over
    over.discard(pid)
    return found


def _runs(pid: str) -> bool:
    """Whether the process `pid` (a decimal string) runs; True if it cannot be told."""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (ValueError, OSError):
        return True
    return True


def _become_subreaper() -> None:
    """Have this process's orphaned descendants reparented to it, not to init (Linux; elsewhere nothing)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def kill_group(pid: int) -> None:
    """SIGKILL to the learner's process `pid` and its group (what it started there), and to it alone if it left it."""
    for kill in (os.killpg, os.kill):
        with suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _exit_code(pid: int, block: bool) -> int | None:
    try:
        finished, status = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status) if finished else None


def _end_children(started: set[int], everyone: bool) -> None:
    """Kill and reap our children: the orphans that were reparented to us (and, `everyone`, the learner's
    processes too), until none is left; a process that forks as fast as we kill is stopped by its limits."""
    for _ in range(100):
        children = _children() - (set() if everyone else started)
        if not children:
            return
        for pid in children:
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        for pid in children:
            with suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _children() -> set[int]:
    """This process's children, from /proc (Linux)."""
    found: set[int] = set()
    with suppress(OSError):
        for task in os.listdir("/proc/self/task"):
            with suppress(OSError), open(f"/proc/self/task/{task}/children") as listing:
                found.update(int(pid) for pid in listing.read().split())
    return found
