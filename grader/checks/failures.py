"""How a check says it failed, or that it cannot judge yet."""
from __future__ import annotations


class CheckFailed(Exception):
    """The learner's answer breaks the rule a check tests; the message says how.

    `error_map`, when given, is a small text grid of where an array is off
    (see compare.Mismatch), shown under the message; `map_title` says what it
    is. `mismatch` is the comparison the message reports, when there is one.
    """

    def __init__(self, message: str, error_map: str | None = None, map_title: str = "", mismatch=None):
        super().__init__(message)
        self.error_map = error_map
        self.map_title = map_title
        self.mismatch = mismatch

    @classmethod
    def from_mismatch(cls, message: str, mismatch) -> "CheckFailed":
        return cls(message, mismatch.error_map, mismatch.map_title() if mismatch.error_map else "", mismatch)


class NotRun(Exception):
    """The row cannot judge anything until another row's problem is fixed; the message points to it
    ("not run: fix 'backward gradient shapes' first"). A row whose whole premise failed is skipped by
    its `needs`; this is for a row that can tell only while running (one gradient of several)."""
