# expect-fail: forward output shape
"""out = x.dot(w) + b with no reshape, because it is the textbook formula for (N, D) inputs, but images arrive as (N, C, H, W) and the dot product then runs over the last axis only."""
import numpy as np


def linear_forward(x, w, b):
    out = x.dot(w) + b
    return out, (x, w)


def linear_backward(dout, cache):
    x, w = cache
    return dout.dot(w.T), x.T.dot(dout), dout.sum(axis=0)
