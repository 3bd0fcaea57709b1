# expect-fail: gradient dx; overlapping windows add up; ties in overlapping windows
# diagnosis: overlapping windows assigned, not added
"""dx[n, c, i*stride + r, j*stride + s] = dout[n, c, i, j] at each window's argmax, because only one
input of the window gets the gradient, so "assign it there" looks complete; where overlapping windows
share their maximum, the later window overwrites the earlier one's gradient instead of adding to it."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.empty((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + pool_height,
                                j * stride:j * stride + pool_width].max(axis=(2, 3))
    return out, (x, pool_height, pool_width, stride)


def maxpool_backward(dout, cache):
    x, pool_height, pool_width, stride = cache
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width]
                    r, s = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + r, j * stride + s] = dout[n, c, i, j]
    return dx
