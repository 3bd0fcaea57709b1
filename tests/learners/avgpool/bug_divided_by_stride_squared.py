# expect-fail: avgpool overlapping windows add up
"""Backward divides by stride**2, because with the usual non-overlapping pooling (stride equal to the pool size) each window is stride x stride: right for 2x2 stride 2, wrong wherever the stride differs from the pool."""
import numpy as np


def avgpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width].mean(axis=(2, 3))
    return out, (x, pool_height, pool_width, stride)


def avgpool_backward(dout, cache):
    x, pool_height, pool_width, stride = cache
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            share = dout[:, :, i, j, None, None] / (stride * stride)
            dx[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width] += share
    return dx


def global_avgpool_forward(x):
    return x.mean(axis=(2, 3)), x.shape


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    return np.ones(cache) * dout[:, :, None, None] / (H * W)

