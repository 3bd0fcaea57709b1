# expect-fail: global_avgpool forward output shape
"""x.mean(axis=(2, 3), keepdims=True): out (N, C, 1, 1) instead of (N, C)."""
import numpy as np


def avgpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    Ho = (H - pool_height) // stride + 1
    Wo = (W - pool_width) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = np.mean(x[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width],
                                      axis=(2, 3))
    cache = (x, {"pool_height": pool_height, "pool_width": pool_width, "stride": stride})
    return out, cache


def avgpool_backward(dout, cache):
    x, p = cache
    ph, pw, s = p["pool_height"], p["pool_width"], p["stride"]
    dx = np.zeros_like(x)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    dx[n, c, i * s:i * s + ph, j * s:j * s + pw] += dout[n, c, i, j] / (ph * pw)
    return dx


def global_avgpool_forward(x):
    N, C, H, W = x.shape
    out = x.mean(axis=(2, 3), keepdims=True)
    return out, (N, C, H, W)


def global_avgpool_backward(dout, cache):
    N, C, H, W = cache
    dx = np.repeat(dout.reshape(N, C, 1), H * W, axis=2) / (H * W)
    return dx.reshape(N, C, H, W)
