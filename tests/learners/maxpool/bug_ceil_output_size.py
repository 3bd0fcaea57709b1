# expect-group-fail: edge
# diagnosis: output size rounded up
"""Output size rounded up with ceil, because "every pixel should be covered" feels right, so a last, partial window hangs off the edge of x."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + int(np.ceil((H - pool_height) / stride))
    W_out = 1 + int(np.ceil((W - pool_width) / stride))
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            hs, ws = i * stride, j * stride
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
            hs, ws = i * stride, j * stride
            window = x[:, :, hs:hs + pool_height, ws:ws + pool_width].reshape(N, C, -1)
            k = window.argmax(axis=2)  # the first maximum in row-major order
            di, dj = np.unravel_index(k, (min(pool_height, x.shape[2] - hs), min(pool_width, x.shape[3] - ws)))
            dx[n, c, hs + di, ws + dj] += dout[:, :, i, j]
    return dx
