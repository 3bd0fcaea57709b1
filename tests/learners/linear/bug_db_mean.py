# expect-fail: gradient db; M = 1
# diagnosis: db averaged over the batch
"""db = dout.mean(axis=0), because the loss is a mean over the batch and the 1/N feels like it belongs in every gradient, but that 1/N is already in dout."""
import numpy as np


def linear_forward(x, w, b):
    x_flat = x.reshape(x.shape[0], -1)
    return x_flat @ w + b, (x, w)


def linear_backward(dout, cache):
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.mean(axis=0)
    return dx, dw, db
