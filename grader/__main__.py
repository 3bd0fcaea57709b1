"""`python -m grader`: see grader.cli."""
import os
import sys

from grader.sandbox.launcher import close_all, start_early

start_early()  # the learner's processes come from a clean process: forked now, before any kata is imported

from grader.cli import main  # noqa: E402

status = main()
# Leave without tearing the interpreter down, which costs ~50 ms after a grading run: by now
# everything is written and the learner's processes are gone. It skips atexit hooks too, so the
# launchers' own (their jail, their memory groups) run here.
try:
    sys.stdout.flush()
    sys.stderr.flush()
except (OSError, ValueError):  # a reader that went away (`| head`), a stream already closed
    pass
close_all()
os._exit(status)
