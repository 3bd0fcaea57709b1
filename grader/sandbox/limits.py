"""What the learner's process may use: memory, file size, open files, processes.

Set in the learner's process before its file is imported, so that they bind
everything it starts too. Memory is counted as address space on top of what
the process holds when it starts (the interpreter, numpy, the sandbox): a
learner's MemoryError becomes the row "used more than MEMORY_MB MB of
memory", not a machine brought to its knees. A file written past FILE_MB
fails with OSError "File too large" (Python ignores SIGXFSZ). The process
count is per user, so it is set only where the learner's process has a user
of its own. The memory limit binds each process alone; grader.sandbox.tree_memory
adds one for the whole tree.
"""
from __future__ import annotations

import os
from contextlib import suppress

#: Memory the learner's code may take beyond the process's own start, in MB.
MEMORY_MB = 1024
#: The largest file it may write, in MB.
FILE_MB = 64
#: Files it may hold open at once.
OPEN_FILES = 256
#: Processes its user may run at once (where it has a user of its own).
PROCESSES = 64


def limit_resources(own_user: bool = False) -> None:
    """Set the limits in this process (POSIX; elsewhere nothing): they bind it and whatever it starts."""
    try:
        import resource  # noqa: PLC0415 -- POSIX only
    except ImportError:
        return
    limits = [(resource.RLIMIT_FSIZE, FILE_MB << 20), (resource.RLIMIT_NOFILE, OPEN_FILES),
              (resource.RLIMIT_CORE, 0)]
    if (start := _address_space()) is not None:
        limits.append((resource.RLIMIT_AS, start + (MEMORY_MB << 20)))
    if own_user and hasattr(resource, "RLIMIT_NPROC"):
        limits.append((resource.RLIMIT_NPROC, PROCESSES))
    for kind, value in limits:
        with suppress(ValueError, OSError):  # above a hard limit the system set lower: keep the system's
            hard = resource.getrlimit(kind)[1]
            resource.setrlimit(kind, (value if hard == resource.RLIM_INFINITY else min(value, hard),) * 2)


def _address_space() -> int | None:
    """This process's address space now, in bytes (Linux), or None."""
    with suppress(OSError, ValueError, IndexError):
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    return None
