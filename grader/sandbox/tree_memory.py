"""One memory limit for the learner's whole process tree: what its processes hold together, measured.

The address-space limit of grader.sandbox.limits binds each process alone:
code that starts processes could take MEMORY_MB in each of them. So, every
MEMORY_POLL seconds of a long wait for the learner's code, the launcher
measures what the learner's process and all its descendants hold
(`tree_memory`: proportional set sizes, so that the pages a forked process
still shares with its zygote count once) and, past LIMIT_BYTES, the run is
ended with the row "used more than MEMORY_MB MB of memory ..., counting
every process it started". A tree may overshoot for up to that interval
(each of its processes still within its own limit, and their number within
the process limit).

Why not a memory cgroup, which the kernel would enforce exactly: measured
here, numpy work in a process of a memory cgroup of its own ran ~25% slower
(78 against 97 ms, the charging of its page faults), a cost every grading
would pay for a limit almost no answer comes near; and a container's
cgroups are mostly read-only anyway. The measurement costs ~1-3 ms a poll,
during long waits only.
"""
from __future__ import annotations

import ctypes
import os
from contextlib import contextmanager, suppress

from grader.sandbox.limits import MEMORY_MB

#: What the tree may hold on top of MEMORY_MB (the process's own start, numpy's pages among them): so that one
#: process alone meets its own address-space limit first (a MemoryError, and the line it happened on).
SLACK_MB = 128
#: What the learner's process tree may hold together.
LIMIT_BYTES = (MEMORY_MB + SLACK_MB) << 20


def tree_memory(roots: set[int]) -> int:
    """Bytes held by the processes `roots` and all their descendants (Linux; 0 elsewhere): their proportional
    set sizes, in which a page that n processes share counts 1/n in each, so that what a forked process still
    shares with its zygote is not counted again in every process."""
    tree, pending = set(), list(roots)
    while pending:  # down from the roots, through each thread's list of the children it started
        pid = pending.pop()
        if pid in tree:
            continue
        tree.add(pid)
        with suppress(OSError):
            for task in os.listdir(f"/proc/{pid}/task"):
                with suppress(OSError, ValueError), open(f"/proc/{pid}/task/{task}/children") as listing:
                    pending.extend(int(child) for child in listing.read().split())
    return sum(_proportional_set_size(pid) for pid in tree)


def _proportional_set_size(pid: int) -> int:
    """The process's proportional set size in bytes, 0 if it cannot be read. Root reads another user's
    process only with CAP_SYS_PTRACE, which a container does not grant: it then reads it as that user."""
    for as_owner in (False, True):
        try:
            with _as_user(_owner(pid) if as_owner else None), open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) << 10  # kB
        except PermissionError:
            continue
        except (OSError, ValueError, IndexError, KeyError):
            break
    return 0


def _owner(pid: int) -> tuple[int, int]:
    """The process's (user, group), from /proc/<pid>/status (readable by anyone)."""
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["Uid"].split()[0]), int(fields["Gid"].split()[0])


@contextmanager
def _as_user(owner: tuple[int, int] | None):
    """Open files as `owner` (Linux's file-system user and group, this thread only), then as before."""
    if owner is None:
        yield
        return
    libc = ctypes.CDLL(None)
    before_group, before_user = libc.setfsgid(owner[1]), libc.setfsuid(owner[0])
    try:
        yield
    finally:
        libc.setfsuid(before_user)
        libc.setfsgid(before_group)


