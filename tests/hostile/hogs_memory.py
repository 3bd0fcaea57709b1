"""Takes memory until something stops it: 1.5 GB in chunks of 100 MB, each written to."""
import numpy as np

_kept = []


def conv2d_forward(x, w, b, stride=1, pad=0):
    for _ in range(15):
        _kept.append(np.ones(100 * 2**20 // 8))
    raise RuntimeError("the grader let 1.5 GB through")


def conv2d_backward(dout, cache):
    raise RuntimeError("not this one")
