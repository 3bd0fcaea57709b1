# expect-fail: global_avgpool gradient dx
# diagnosis: global backward not divided by H*W
"""dx = dout broadcast over the map, the backward of a sum over the spatial axes: the mean's 1 / (H*W) is forgotten because x.mean hid it in the forward."""
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
            share = dout[:, :, i, j, None, None] / (pool_height * pool_width)
            dx[:, :, i * stride:i * stride + pool_height, j * stride:j * stride + pool_width] += share
    return dx


def global_avgpool_forward(x):
    return x.mean(axis=(2, 3)), x.shape


def global_avgpool_backward(dout, cache):
    return np.broadcast_to(dout[:, :, None, None], cache).copy()
