# expect-fail: forward output shape
# diagnosis: weights transposed
"""out = x_flat @ w.T + b, because PyTorch's nn.Linear stores its weight as (M, D) and computes x @ W.T, while this kata's w is (D, M)."""
import numpy as np


def linear_forward(x, w, b):
    x_flat = x.reshape(x.shape[0], -1)
    return x_flat @ w.T + b, (x_flat, x.shape, w)


def linear_backward(dout, cache):
    x_flat, x_shape, w = cache
    return (dout @ w).reshape(x_shape), dout.T @ x_flat, dout.sum(axis=0)
