# expect-fail: forward values; gradient dx; overlapping windows add up; ties in overlapping windows
# diagnosis: windows of stride x stride
"""Window (i, j) cut as x[:, :, i*stride:(i+1)*stride, j*stride:(j+1)*stride], because with the
usual 2x2 pool and stride 2 the window ends where the next one starts; the pool's own size is never
used, so overlapping or non-square pools are wrong."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    out = np.zeros((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:(i + 1) * stride, j * stride:(j + 1) * stride]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out, (x, stride)


def maxpool_backward(dout, cache):
    x, stride = cache
    dx = np.zeros_like(x)
    N, C, H_out, W_out = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:(i + 1) * stride, j * stride:(j + 1) * stride]
                    r, s = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + r, j * stride + s] += dout[n, c, i, j]
    return dx
