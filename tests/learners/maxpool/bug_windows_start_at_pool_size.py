# expect-group-fail: edge
# diagnosis: windows start at multiples of the pool size
"""Window (i, j) starts at (i*pool_height, j*pool_width) instead of (i*stride, j*stride), because with the default 2x2 pool and stride 2 the two are the same."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * pool_height, j * pool_width
            window = x[:, :, hs:hs + pool_height, ws:ws + pool_width]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out, (x, pool_height, pool_width, stride)


def maxpool_backward(dout, cache):
    x, pool_height, pool_width, stride = cache
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    n, c = np.indices((N, C))
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * pool_height, j * pool_width
            window = x[:, :, hs:hs + pool_height, ws:ws + pool_width].reshape(N, C, -1)
            k = window.argmax(axis=2)  # the first maximum in row-major order
            di, dj = np.unravel_index(k, (pool_height, pool_width))
            dx[n, c, hs + di, ws + dj] += dout[:, :, i, j]
    return dx
