# expect-group-fail: value
# diagnosis: statistics per image
"""Mean and variance over (H, W) only, one per image and channel, because "normalise each feature map" reads like per-map statistics, which is instance norm, not batch norm."""
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
        mean = x.mean(axis=(2, 3), keepdims=True)
        var = x.var(axis=(2, 3), keepdims=True)
        xhat = (x - mean) / np.sqrt(var + eps)
        out = g * xhat + b
        cache = (xhat, g, var, eps)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean.mean(axis=0).ravel()
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var.mean(axis=0).ravel()
    elif mode == "test":
        mean, var = running_mean.reshape(1, C, 1, 1), running_var.reshape(1, C, 1, 1)
        out = g * (x - mean) / np.sqrt(var + eps) + b
        cache = None
    else:
        raise ValueError(f"unknown batchnorm mode {mode!r}")
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    xhat, g, var, eps = cache
    axes = (2, 3)
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * xhat).sum(axis=(0, 2, 3))
    dxhat = dout * g
    dx = dxhat - dxhat.mean(axis=axes, keepdims=True) - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True)
    dx /= np.sqrt(var + eps)
    return dx, dgamma, dbeta
