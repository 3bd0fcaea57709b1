# expect-fail: backward gradient shapes
# diagnosis: db summed over the outputs
"""db = dout.sum(axis=1), because "sum over the other axis" is remembered without which one, so db gets one entry per example instead of one per output."""
import numpy as np


def linear_forward(x, w, b):
    x_flat = x.reshape(len(x), -1)
    return x_flat @ w + b, (x, w)


def linear_backward(dout, cache):
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(len(x), -1).T @ dout
    db = dout.sum(axis=1)
    return dx, dw, db
