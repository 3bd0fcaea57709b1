# expect-group-fail: edge
# diagnosis: last tied maximum takes the gradient
"""A running maximum over the window offsets updated with ">=", so among tied inputs the LAST one in row-major order gets the gradient, because ">=" feels safer than ">" and nothing else changes."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.full((N, C, H_out, W_out), -np.inf)
    where = np.zeros((N, C, H_out, W_out), dtype=int)
    for k in range(pool_height * pool_width):
        a, b = divmod(k, pool_width)
        candidate = x[:, :, a:a + stride * H_out:stride, b:b + stride * W_out:stride]
        better = candidate >= out
        out = np.where(better, candidate, out)
        where = np.where(better, k, where)
    return out, (x.shape, pool_height, pool_width, stride, where)


def maxpool_backward(dout, cache):
    shape, pool_height, pool_width, stride, where = cache
    H_out, W_out = dout.shape[2:]
    dx = np.zeros(shape)
    for k in range(pool_height * pool_width):
        a, b = divmod(k, pool_width)
        dx[:, :, a:a + stride * H_out:stride, b:b + stride * W_out:stride] += dout * (where == k)
    return dx
