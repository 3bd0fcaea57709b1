# expect-fail: forward values; gradient dx; gradient dgamma; N = 1
# diagnosis: eps left out
"""Each channel divided by its plain standard deviation, x.std(axis=(0, 2, 3)), because numpy's std
is the obvious call and eps looks like decoration; a channel of one value (N = H = W = 1) then gives
0/0 = NaN, and every other output is off by about eps/(2*var)."""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    shape = (1, C, 1, 1)
    if mode == "train":
        mean = x.mean(axis=(0, 2, 3))
        std = x.std(axis=(0, 2, 3))
        xhat = (x - mean.reshape(shape)) / std.reshape(shape)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * std**2
        return gamma.reshape(shape) * xhat + beta.reshape(shape), (xhat, gamma, std)
    if mode == "test":
        xhat = (x - running_mean.reshape(shape)) / np.sqrt(running_var.reshape(shape) + eps)
        return gamma.reshape(shape) * xhat + beta.reshape(shape), None
    raise ValueError(f"unknown mode {mode!r}")


def spatial_batchnorm_backward(dout, cache):
    xhat, gamma, std = cache
    axes = (0, 2, 3)
    dxhat = dout * gamma.reshape(1, -1, 1, 1)
    dx = (dxhat - dxhat.mean(axis=axes, keepdims=True)
          - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True)) / std.reshape(1, -1, 1, 1)
    return dx, (dout * xhat).sum(axis=axes), dout.sum(axis=axes)
