"""Starts a daemon that outlives its run: it forks twice, leads a session of its own, ignores SIGTERM, and
would kill the next student's process; it prints its pid for the test to look for."""
import os
import signal
import time


def conv2d_forward(x, w, b, stride=1, pad=0):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print(f"daemon pid {os.getpid()}", flush=True)
            while True:
                time.sleep(0.05)
        os._exit(0)
    time.sleep(0.3)  # the daemon is up before the grader hears back
    raise RuntimeError("the daemon is started")


def conv2d_backward(dout, cache):
    raise RuntimeError("not this one")
