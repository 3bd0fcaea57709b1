"""Writes a file as large as it can: 200 MB to $HOSTILE_FILE."""
import os


def conv2d_forward(x, w, b, stride=1, pad=0):
    with open(os.environ["HOSTILE_FILE"], "wb") as out:
        for _ in range(200):
            out.write(b"\0" * 2**20)
    raise RuntimeError("the grader let 200 MB through")


def conv2d_backward(dout, cache):
    raise RuntimeError("not this one")
