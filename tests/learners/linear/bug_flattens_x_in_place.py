# expect-fail: inputs not modified
"""x.shape = (N, -1) to flatten, because assigning .shape looks like a free reshape (no copy), but it reshapes the caller's array."""
import numpy as np


def linear_forward(x, w, b):
    original_shape = x.shape
    x.shape = (x.shape[0], -1)
    return x @ w + b, (x, w, original_shape)


def linear_backward(dout, cache):
    x_flat, w, original_shape = cache
    dx = (dout @ w.T).reshape(original_shape)
    return dx, x_flat.T @ dout, dout.sum(axis=0)
