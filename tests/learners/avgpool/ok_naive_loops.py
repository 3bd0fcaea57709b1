# expect: pass
"""Four nested loops over n, c and the output position, np.mean of each window, and "+=" of an equal share into dx: the textbook version, slow but plainly right."""
import numpy as np


def avgpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = (H - pool_height) // stride + 1
    W_out = (W - pool_width) // stride + 1
    out = np.zeros((N, C, H_out, W_out))
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width]
                    out[n, c, i, j] = np.mean(window)
    return out, (x.shape, pool_height, pool_width, stride)


def avgpool_backward(dout, cache):
    x_shape, pool_height, pool_width, stride = cache
    N, C, H_out, W_out = dout.shape
    dx = np.zeros(x_shape)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    dx[n, c, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width] += \
                        dout[n, c, i, j] / (pool_height * pool_width)
    return dx


def global_avgpool_forward(x):
    N, C, H, W = x.shape
    out = np.zeros((N, C))
    for n in range(N):
        for c in range(C):
            out[n, c] = x[n, c].sum() / (H * W)
    return out, x.shape


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    dx = np.zeros(cache)
    for n in range(N):
        for c in range(C):
            dx[n, c, :, :] = dout[n, c] / (H * W)
    return dx
