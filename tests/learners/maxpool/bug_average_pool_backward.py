# expect-group-fail: gradient
# diagnosis: average pooling's backward
"""dout spread evenly over the window, dout / (pool_height*pool_width) each, because it is the backward of average pooling, remembered for the wrong layer."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
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
            share = dout[:, :, i, j] / (pool_height * pool_width)
            dx[:, :, hs:hs + pool_height, ws:ws + pool_width] += share[:, :, None, None]
    return dx
