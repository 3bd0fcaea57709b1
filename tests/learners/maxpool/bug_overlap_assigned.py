# expect-group-fail: edge
# diagnosis: overlapping windows assigned, not added
"""dx[window] = mask * dout assigns the window's gradient instead of adding it, because with the default 2x2 stride-2 pooling windows never overlap and "=" works, but overlapping windows overwrite each other."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    hs, ws = i * stride, j * stride
                    out[n, c, i, j] = np.max(x[n, c, hs:hs + pool_height, ws:ws + pool_width])
    return out, (x, pool_height, pool_width, stride)


def maxpool_backward(dout, cache):
    x, pool_height, pool_width, stride = cache
    N, C, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    hs, ws = i * stride, j * stride
                    window = x[n, c, hs:hs + pool_height, ws:ws + pool_width]
                    mask = np.zeros_like(window)
                    mask.flat[np.argmax(window)] = 1
                    dx[n, c, hs:hs + pool_height, ws:ws + pool_width] = mask * dout[n, c, i, j]
    return dx
