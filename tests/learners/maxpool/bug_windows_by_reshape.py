# expect-group-fail: value
# diagnosis: windows cut by reshape
"""x.reshape(N, C, H_out, W_out, pool_height, pool_width) to cut windows, because the shapes multiply out, but reshape keeps memory order, so each "window" is a strip of one row rather than a 2-D block."""
import numpy as np


def maxpool_forward(x, pool_height=2, pool_width=2, stride=2):
    N, C, H, W = x.shape
    H_out = 1 + (H - pool_height) // stride
    W_out = 1 + (W - pool_width) // stride
    windows = x[:, :, :H_out * pool_height, :W_out * pool_width].reshape(N, C, H_out, W_out, pool_height * pool_width)
    k = windows.argmax(axis=4)
    out = np.take_along_axis(windows, k[..., None], axis=4)[..., 0]
    return out, (x.shape, pool_height, pool_width, H_out, W_out, k)


def maxpool_backward(dout, cache):
    shape, pool_height, pool_width, H_out, W_out, k = cache
    N, C, H, W = shape
    windows = np.zeros((N, C, H_out, W_out, pool_height * pool_width))
    np.put_along_axis(windows, k[..., None], dout[..., None], axis=4)
    dx = np.zeros(shape)
    dx[:, :, :H_out * pool_height, :W_out * pool_width] = windows.reshape(N, C, H_out * pool_height, W_out * pool_width)
    return dx
