"""One malloc behaviour for the grader and the learner's process, so the speed line compares like with like.

glibc's malloc serves a large block with a fresh mmap until the process has
freed one that large (then it raises its threshold), and hands memory freed
at the top of the heap back to the system. Each fresh page costs a fault
when first written. The learner's process starts before most of the
grading, so it would run from an earlier state of those thresholds than the
grader ends with: the reference's own code, timed as a
learner's, read 1.7-3.8x the reference's time on a 2-core VM, and 0.9-1.6x
once both thresholds were fixed. Fixing them in both processes (the
launcher does it in the learner's) gives them the same rules for the whole
run. Where there is no glibc this
does nothing.
"""
from __future__ import annotations

import ctypes
import functools

_M_TRIM_THRESHOLD = -1  # from glibc's malloc.h
_M_MMAP_THRESHOLD = -3

#: Blocks below this come from the heap (glibc refuses more than 32 MiB on 64-bit) ...
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
#: ... and up to this much free memory stays at its top for the next array.
TRIM_THRESHOLD_BYTES = 64 * 1024 * 1024


@functools.cache
def fix_malloc_thresholds() -> bool:
    """Fix glibc's mmap and trim thresholds in this process and those it forks; True if both took."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # no C library to ask (Windows), or no mallopt in it (macOS)
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    # mallopt returns 1 on success; musl's is a stub that returns 0.
    return mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1 and mallopt(_M_TRIM_THRESHOLD,
                                                                             TRIM_THRESHOLD_BYTES) == 1
