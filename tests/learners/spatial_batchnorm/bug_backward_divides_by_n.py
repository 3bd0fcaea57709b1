# expect-fail: gradient dx
# diagnosis: backward divides by N, not by N*H*W
"""The (N, D) batchnorm backward adapted to (N, C, H, W) by changing the sums' axes to (0, 2, 3), but
the 1/N in front of them kept, because N "is the batch size": each channel's mean and variance run
over N*H*W values, so their terms divide by N*H*W."""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    g, b = gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1)
    if mode == "train":
        mean = x.mean(axis=(0, 2, 3), keepdims=True)
        var = x.var(axis=(0, 2, 3), keepdims=True)
        inv_std = 1.0 / np.sqrt(var + eps)
        xhat = (x - mean) * inv_std
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean.ravel()
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var.ravel()
        return g * xhat + b, (xhat, g, inv_std)
    if mode == "test":
        xhat = (x - running_mean.reshape(1, C, 1, 1)) / np.sqrt(running_var.reshape(1, C, 1, 1) + eps)
        return g * xhat + b, None
    raise ValueError(f"unknown mode {mode!r}")


def spatial_batchnorm_backward(dout, cache):
    xhat, g, inv_std = cache
    N = dout.shape[0]
    axes = (0, 2, 3)
    dxhat = dout * g
    dx = inv_std * (dxhat - dxhat.sum(axis=axes, keepdims=True) / N
                    - xhat * (dxhat * xhat).sum(axis=axes, keepdims=True) / N)
    return dx, (dout * xhat).sum(axis=axes), dout.sum(axis=axes)
