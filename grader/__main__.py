"""`python -m grader`: see grader.cli."""
import os
import sys

from grader.sandbox.launcher import start_early

start_early()  # the learner's processes come from a clean process: forked now, before any kata is imported

from grader.cli import main  # noqa: E402

status = main()
# Leave without tearing the interpreter down, which costs ~50 ms after a grading run: by now
# everything is written and the learner's processes are gone. (It also skips atexit hooks:
# nothing of the grader's uses them.)
try:
    sys.stdout.flush()
    sys.stderr.flush()
except (OSError, ValueError):  # a reader that went away (`| head`), a stream already closed
    pass
os._exit(status)
