"""The twin: the learner's file in a second process, so that both cores work.

On a machine with a core to spare, the twin imports the learner's file beside
the main process. It takes half of every large batch (numerical gradients
are most of a grading run's time), or one job of its own that runs while the
main process answers the other rows (a capstone's training run). A batch that
comes while its job runs is cut into parts: the main process takes them one
after another, and the twin joins in with the next part as soon as its job has
replied, so that neither core idles while the other works through the rest. A
twin that fails, or whose replies can no longer be trusted to pair up with
the requests, is dropped for good, and the main process does everything.
"""
from __future__ import annotations

import time
from typing import Callable

from grader.sandbox import errors
from grader.sandbox.channel import Channel
from grader.sandbox.errors import LearnerError
from grader.sandbox.protocol import Reply

#: A batch that comes while the twin's job runs is cut into this many parts (see `split`): small enough that the
#: twin, once free, soon gets one; large enough that a part's round trip costs little beside its work.
PARTS_BESIDE_A_JOB = 8


class _Job:
    """A job the twin was given: its name, its deadline, and what came back before anyone asked."""

    def __init__(self, key: str, during: str, deadline: float):
        self.key = key
        self.during = during
        self.deadline = deadline  # time.monotonic() by which it must have replied
        self.progress: list[dict] = []  # its reports, while nobody waits for it
        self.reply: Reply | LearnerError | None = None  # its reply or its error, once here


class Twin:
    """The second process, if there is one, and the work it shares with the main one (`main`)."""

    def __init__(self, main: Channel, channel: Channel | None):
        self.main = main
        self.channel = channel  # None: no core to spare, or dropped
        self._job: _Job | None = None

    def drop(self) -> None:
        """Stop the twin for good: at the end, or once its replies can no longer be trusted to pair up."""
        if self.channel is not None:
            self.channel.close()
        self.channel = None

    def free(self) -> Channel | None:
        """The twin if it can take work now: there is one, its import went well, and no job of its own runs."""
        if self.channel is None or (self._job is not None and self._job.reply is None and not self._job_replied()):
            return None
        twin = self.channel
        if twin is not None and not twin.ready:
            twin.remaining = min(twin.remaining, self.main.remaining)
            twin.await_ready()
            if twin.failure is not None:
                self.drop()
        return self.channel

    def split(self, request_for: Callable[[list], object], items: list, during: str, min_split: int) -> list[Reply]:
        """Send request_for(items), or the second half of them to the twin and the first here; the
        replies in the items' order (one or more: while the twin's job runs, see `_share`)."""
        twin = self.free() if len(items) >= min_split else None
        if twin is None and len(items) >= min_split and self._job is not None and self.channel is not None:
            return self._share(request_for, items, during)
        if twin is None:
            self.main.send(request_for(items), during)
            return [self.main.receive(during)]
        half = len(items) // 2
        try:
            twin.send(request_for(items[half:]), during)
            self.main.send(request_for(items[:half]), during)
            return [self.main.receive(during), twin.receive(during)]
        except LearnerError:
            # A reply may still be on its way from the twin: it can never be trusted to pair up again.
            self.drop()
            raise

    def _share(self, request_for: Callable[[list], object], items: list, during: str) -> list[Reply]:
        """The replies to request_for(part) for PARTS_BESIDE_A_JOB parts of `items`, in order: the main process
        takes one part after another, and the twin, busy with its job, one part at a time once the job has
        replied (asked after each of the main process's parts: the job's reply is then kept for its row)."""
        size = -(-len(items) // PARTS_BESIDE_A_JOB)
        parts = [items[start:start + size] for start in range(0, len(items), size)]
        replies: list[Reply | None] = [None] * len(parts)
        taken, twins = 0, None  # parts handed out so far; the part the twin is working on
        try:
            while taken < len(parts) or twins is not None:
                if twins is None and taken < len(parts) and (twin := self.free()) is not None:
                    twin.send(request_for(parts[taken]), during)
                    twins, taken = taken, taken + 1
                if taken < len(parts):
                    self.main.send(request_for(parts[taken]), during)
                    replies[taken] = self.main.receive(during)
                    taken += 1
                    wait = False  # the twin's part, if it is done: checked before the next part goes out
                else:
                    wait = True  # the main process is done: what is left is the twin's part
                if twins is not None and (reply := self.channel.receive(during, wait=wait)) is not None:
                    replies[twins], twins = reply, None
        except LearnerError:
            if twins is not None:  # its reply may still be on its way: it can never be trusted to pair up again
                self.drop()
            raise
        return replies

    def start(self, key: str, request: object, during: str) -> bool:
        """Send `request` (trusted code, a training run) to the twin, to run in the background; False
        when there is no free twin to take it. One job at a time."""
        twin = None if self._job else self.free()
        if twin is None:
            return False
        try:
            twin.send(request, during)
        except LearnerError:
            self.drop()
            return False
        # The job's time counts from now, though nobody waits for it yet.
        self._job = _Job(key, during, time.monotonic() + min(twin.remaining, self.main.remaining))
        twin.on_progress = self._job.progress.append  # kept for the row, which may not be running yet
        return True

    def finish(self, key: str, on_progress: Callable[[dict], None] | None = None) -> Reply | None:
        """The reply of the job started as `key`, waiting for it; None if none was started. Its progress
        reports reach `on_progress` now, those sent meanwhile first. Raises LearnerError as a call would:
        for the learner's code in the twin, and (not run) when the main process has already failed."""
        job = self._job
        if job is None or job.key != key:
            return None
        self._job = None
        if self.main.failure is not None:  # as every row after a fatal failure: not run
            self.drop()
            raise errors.not_run(self.main.failure)
        if on_progress is not None:
            for report in job.progress:  # sent while nobody waited: handed over first
                on_progress(report)
        if job.reply is None:  # still at work: wait for it, within the job's time
            twin = self.channel
            twin.remaining = max(0.0, min(twin.remaining, job.deadline - time.monotonic(), self.main.remaining))
            twin.on_progress = on_progress
            try:
                job.reply = twin.receive(job.during)
            except LearnerError:
                self.drop()
                raise
            finally:
                twin.on_progress = None
        if isinstance(job.reply, LearnerError):
            raise job.reply
        return job.reply

    def _job_replied(self) -> bool:
        """Whether the job has replied, without waiting; the reply (or the error) is kept for its row."""
        job, twin = self._job, self.channel
        try:
            job.reply = twin.receive(job.during, wait=False)
        except LearnerError as error:
            job.reply = error
            self.drop()
            return True
        if job.reply is not None:
            twin.on_progress = None
            twin.remaining = max(0.0, job.deadline - time.monotonic())  # what the job left of its time
        return job.reply is not None
