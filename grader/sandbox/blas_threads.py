"""One BLAS thread in the grader and the learner's processes while a kata is graded.

numpy's BLAS (OpenBLAS, MKL, ...) keeps a thread per core, and idle threads
spin a while before they sleep. Where it has two cores the grader runs the
learner's code in two processes at once (a capstone's training run on the
twin beside the other rows, numerical gradients shared between them), and
each process's BLAS threads then fight the other's for the same cores: on a
2-core VM the convnet's training run took 0.14-0.19 s on the twin beside the
gradient rows, 0.06 s alone, and 0.05-0.07 s beside them with one thread
each. Grading arrays are small, for which one thread is as fast as several.

`python -m grader` and the learner's processes start with one thread
(ONE_THREAD_ENVIRONMENT, set before numpy loads: start_with_one_thread,
grader.sandbox.launcher), so the speed line times learner and reference
alike; one_blas_thread has nothing left to do there. A limit set later is
not enough in a process of our own: OpenBLAS starts its worker when numpy
loads and again after every fork (the zygote's), and a started worker spins
~0.1 s on a core the learner's processes need (measured: conv2d's grading
took 165 ms with it, 130 ms without). An
in-process user (tests, the pytest plugin, a notebook) keeps its BLAS: the
limit is set while it grades and lifted when the grading ends, so the
in-process API leaves its caller's BLAS as it found it. Where threadpoolctl
finds no BLAS it knows, nothing changes.
"""
from __future__ import annotations

import functools
import os
import sys
from contextlib import AbstractContextManager, nullcontext

#: The environment of a process whose BLAS has one thread and no worker to spin; it must be set before numpy loads.
ONE_THREAD_ENVIRONMENT = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                                 "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}
#: Set by start_with_one_thread: this process's BLAS has had one thread since numpy loaded.
_one_from_the_start = False


def start_with_one_thread() -> None:
    """Give this process one BLAS thread for good (python -m grader, first thing): ONE_THREAD_ENVIRONMENT, set
    before numpy loads. one_blas_thread then has nothing left to do, and skips loading threadpoolctl (~5 ms)."""
    global _one_from_the_start
    os.environ.update(ONE_THREAD_ENVIRONMENT)
    _one_from_the_start = _one_from_the_start or "numpy" not in sys.modules  # else its BLAS read the environment


@functools.cache
def _controller():
    from threadpoolctl import ThreadpoolController  # noqa: PLC0415 -- ~5 ms, paid only by a grading run

    return ThreadpoolController()  # finds the loaded BLAS libraries once (~2 ms); limiting is then cheap


def one_blas_thread() -> AbstractContextManager:
    """A context in which numpy's BLAS uses one thread, as do the processes forked inside it."""
    if _one_from_the_start:
        return nullcontext()
    return _controller().limit(limits=1, user_api="blas")
