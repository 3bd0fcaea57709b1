"""`python -m grader`: see grader.cli."""
import importlib.util
import os
import signal
import sys

# A Ctrl-C while the grader starts is kept for cli.main, which still ends with the report asked for (--json,
# --format gradescope); an interpreter killed by SIGINT mid-import would print nothing.
_interrupted: list[int] = []
signal.signal(signal.SIGINT, lambda *_: _interrupted.append(1))

# A Python without the grader's dependencies (a venv not activated): one line that says so, not an
# ImportError deep in a traceback. find_spec imports nothing.
_MISSING = [name for name in ("numpy", "rich", "threadpoolctl") if importlib.util.find_spec(name) is None]
if _MISSING:
    print(f"error: this Python ({sys.executable}) lacks {', '.join(_MISSING)}, which the grader needs: activate "
          f"the virtual environment you installed it in (. .venv/bin/activate), or pip install it there",
          file=sys.stderr)
    sys.exit(2)

from grader.sandbox.blas_threads import start_with_one_thread  # noqa: E402

# One BLAS thread, set before numpy loads, as in the learner's processes: a BLAS worker of this process would
# spin on a core they need (grader.sandbox.blas_threads).
start_with_one_thread()

from grader.sandbox.launcher import close_all, start_early  # noqa: E402

start_early()  # the learner's processes come from a clean process: forked now, before any kata is imported

from grader.cli import main  # noqa: E402

signal.signal(signal.SIGINT, signal.default_int_handler)
status = main(interrupted=bool(_interrupted))
# Leave without tearing the interpreter down, which costs ~50 ms after a grading run: by now
# everything is written and the learner's processes are gone. It skips atexit hooks too, so the
# launchers' own (their jail) run here; a zygote, hung up on, cleans up on its own (not waited for: ~5 ms).
try:
    sys.stdout.flush()
    sys.stderr.flush()
except (OSError, ValueError):  # a reader that went away (`| head`), a stream already closed
    pass
close_all(wait=False)
os._exit(status)
