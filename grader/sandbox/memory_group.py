"""One memory limit for the learner's whole process tree, where the system lets the grader set one (cgroups).

The address-space limit of grader.sandbox.limits binds each process alone:
code that starts processes could take MEMORY_MB in each of them. Where the
grader may make control groups (Linux, as root, with cgroup v1's memory
hierarchy mounted writable, or a cgroup v2 hierarchy whose memory controller
it may enable; a container often mounts them read-only), each learner's
process joins a group of its own before any learner code runs, and whatever
it starts is in the group too. The group may hold MEMORY_MB + SLACK_MB: one
process alone meets its address-space limit first (a MemoryError, with the
line it happened on); when its processes together hold more, the kernel ends
one of them (v2: all of them), and the grader says so (`over_limit`).

Elsewhere (a container whose cgroups are read-only, a learner's laptop)
the launcher measures the tree instead, every MEMORY_POLL seconds of a long
wait (`tree_memory`: what its processes hold, shared pages counted once) and
ends it past the same limit: a tree may overshoot for that long, where the
kernel's limit is exact.

    groups = MemoryGroups.here()     # None where no group can be made
    group = groups.new()             # in the launcher, per learner's process
    join(group)                      # in that process, before the learner's file is read
    groups.over_limit(group)         # after its run: did the tree run out?
    groups.remove(group)             # ends what is left in it

    tree_memory({pid, *orphans}) > LIMIT_BYTES   # where there are no groups
"""
from __future__ import annotations

import ctypes
import itertools
import os
import signal
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from grader.sandbox.limits import MEMORY_MB

#: What the group may hold on top of MEMORY_MB: pages the process shares with the one it was forked from and
#: writes to, the kernel's own memory for it; so that one process alone meets its own limit first.
SLACK_MB = 128
#: What the learner's process tree may hold together.
LIMIT_BYTES = (MEMORY_MB + SLACK_MB) << 20


class MemoryGroups:
    """The grader's parent group (`grader-<pid>` under this process's own group) and one group per learner's
    process in it."""

    def __init__(self, parent: Path, version: int) -> None:
        self.parent = parent
        self.version = version
        self._names = itertools.count()

    @classmethod
    def here(cls) -> MemoryGroups | None:
        """The groups of this process, made now; None where this system or user cannot limit a group's memory."""
        if not (hasattr(os, "geteuid") and os.geteuid() == 0):
            return None  # a delegated subtree would do, but nothing a learner's laptop sets up by default
        own_groups = own_memory_groups()
        for version, own in own_groups:
            for stale in own.glob("grader-*"):  # of a grader killed before its clean-up
                if not process_runs(stale.name.partition("-")[2]):
                    cls(stale, version).close()
        for version, own in own_groups:
            parent = own / f"grader-{os.getpid()}"
            try:
                parent.mkdir()
            except OSError:
                continue
            groups = cls(parent, version)
            if groups._usable():
                return groups
            groups.close()
        return None

    def new(self) -> str | None:
        """A group for one learner's process, limited; None if it could not be made."""
        group = self.parent / f"learner-{next(self._names)}"
        limit = str(LIMIT_BYTES)
        try:
            group.mkdir()
            if self.version == 1:
                (group / "memory.limit_in_bytes").write_text(limit)
                with suppress(OSError):  # swap counted too, where the kernel accounts it: no swapping past it
                    (group / "memory.memsw.limit_in_bytes").write_text(limit)
            else:
                (group / "memory.max").write_text(limit)
                with suppress(OSError):
                    (group / "memory.swap.max").write_text("0")
                with suppress(OSError):  # past the limit, every process of the tree ends, the learner's first
                    (group / "memory.oom.group").write_text("1")
        except OSError:
            self.remove(str(group))
            return None
        return str(group)

    def over_limit(self, group: str | None) -> bool:
        """Whether the kernel ended a process of `group` because the group held more than its limit."""
        if group is None:
            return False
        events = "memory.oom_control" if self.version == 1 else "memory.events"
        with suppress(OSError, ValueError):
            for line in (Path(group) / events).read_text().splitlines():
                key, _, count = line.partition(" ")
                if key == "oom_kill":
                    return int(count) > 0
        return False

    def remove(self, group: str | None) -> None:
        """Kill whatever is still in `group`, then remove it (a group can be removed once it is empty)."""
        if group is None:
            return
        path = Path(group)
        for _ in range(50):  # up to ~0.5 s for the killed to be reaped by whoever is their parent
            with suppress(FileNotFoundError):
                pids = [int(pid) for pid in (path / "cgroup.procs").read_text().split()]
                for pid in pids:
                    with suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
                path.rmdir()
            with suppress(OSError, ValueError):
                if not path.exists():
                    return
            time.sleep(0.01)

    def close(self) -> None:
        """Remove every group left, then the parent."""
        with suppress(OSError):
            for group in self.parent.iterdir():
                if group.is_dir():
                    self.remove(str(group))
        with suppress(OSError):
            self.parent.rmdir()

    def _usable(self) -> bool:
        """Whether groups made under the parent can limit memory (v2: the controller enabled for them)."""
        if self.version == 2:
            with suppress(OSError):
                if "memory" not in (self.parent.parent / "cgroup.subtree_control").read_text().split():
                    (self.parent.parent / "cgroup.subtree_control").write_text("+memory")
                (self.parent / "cgroup.subtree_control").write_text("+memory")
        probe = self.new()
        if probe is None:
            return False
        self.remove(probe)
        return True


def process_runs(pid: str) -> bool:
    """Whether the process `pid` (a decimal string) runs; True if it cannot be told."""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (ValueError, OSError):
        return True
    return True


def join(group: str | None) -> None:
    """Move this process into `group` (in the learner's process, as root, before anything of the learner's
    runs); what it starts after is in the group too. Nothing if there is no group or the move fails."""
    if group is not None:
        with suppress(OSError):
            (Path(group) / "cgroup.procs").write_text("0")


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


def own_memory_groups() -> list[tuple[int, Path]]:
    """(cgroup version, directory) of this process's own groups that could hold a memory limit, v1 first:
    its group in the v1 memory hierarchy, and its v2 group."""
    try:
        memberships = Path("/proc/self/cgroup").read_text().splitlines()
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    found = []
    for membership in memberships:
        _, controllers, own = (membership.split(":", 2) + ["", ""])[:3]
        version = 2 if controllers == "" else 1 if "memory" in controllers.split(",") else 0
        if not version:
            continue
        for mount in mounts:
            fields, _, rest = mount.partition(" - ")
            fields, rest = fields.split(), rest.split()
            if len(fields) < 5 or len(rest) < 3:
                continue
            root, mount_point, kind, options = fields[3], fields[4], rest[0], rest[2].split(",")
            if (kind, version) not in (("cgroup", 1), ("cgroup2", 2)) or (version == 1 and "memory" not in options):
                continue
            relative = os.path.relpath(own, root)
            if not relative.startswith(".."):  # the group is visible under this mount
                found.append((version, Path(mount_point) / relative))
    return sorted(found)
