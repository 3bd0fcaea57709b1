# expect-fail: avgpool forward output shape
"""CS231n's fast pooling by reshape, which is right only where the windows tile x (stride equal to the pool, sizes divisible)."""
import numpy as np


def avgpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    Ho, Wo = (H - pool_height) // stride + 1, (W - pool_width) // stride + 1
    xr = x[:, :, :Ho * pool_height, :Wo * pool_width].reshape(N, C, Ho, pool_height, Wo, pool_width)
    return xr.mean(axis=(3, 5)), (x.shape, pool_height, pool_width)


def avgpool_backward(dout, cache):
    shape, ph, pw = cache
    dx = np.zeros(shape)
    N, C, Ho, Wo = dout.shape
    up = np.repeat(np.repeat(dout, ph, axis=2), pw, axis=3) / (ph * pw)
    dx[:, :, :Ho * ph, :Wo * pw] = up
    return dx


def global_avgpool_forward(x):
    return x.mean(axis=(2, 3)), x.shape


def global_avgpool_backward(dout, cache):
    return np.broadcast_to(dout[:, :, None, None] / (cache[2] * cache[3]), cache).copy()
