# expect-group-fail: value
# diagnosis: statistics over the whole array
"""One mean and variance over the whole array (no axis argument), because x.mean() is the default and the per-channel axis tuple is easy to leave out."""
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
        mean = x.mean(keepdims=True)
        var = x.var(keepdims=True)
        xhat = (x - mean) / np.sqrt(var + eps)
        out = g * xhat + b
        cache = (xhat, g, var, eps)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean.ravel()
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var.ravel()
    elif mode == "test":
        mean, var = running_mean.reshape(1, C, 1, 1), running_var.reshape(1, C, 1, 1)
        out = g * (x - mean) / np.sqrt(var + eps) + b
        cache = None
    else:
        raise ValueError(f"unknown batchnorm mode {mode!r}")
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    xhat, g, var, eps = cache
    axes = (0, 1, 2, 3)
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * xhat).sum(axis=(0, 2, 3))
    dxhat = dout * g
    dx = dxhat - dxhat.mean(axis=axes, keepdims=True) - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True)
    dx /= np.sqrt(var + eps)
    return dx, dgamma, dbeta
