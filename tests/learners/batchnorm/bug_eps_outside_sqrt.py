# expect-fail: forward values; gradient dx; gradient dgamma; test mode uses the running statistics
# diagnosis: eps outside the square root
"""Divided by np.sqrt(var) + eps, because "add eps so we never divide by zero" is remembered as
something added to the denominator; it differs from sqrt(var + eps) by about eps/2 relative, which
only a larger eps or a small variance shows."""
import numpy as np


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if mode == "train":
        mean = x.mean(axis=0)
        var = ((x - mean) ** 2).mean(axis=0)
        std = np.sqrt(var) + eps
        xhat = (x - mean) / std
        out = gamma * xhat + beta
        cache = (xhat, gamma, std)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        out = gamma * (x - running_mean) / (np.sqrt(running_var) + eps) + beta
        cache = None
    else:
        raise ValueError(f"unknown batchnorm mode {mode!r}")
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, std = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / std
    return dx, dgamma, dbeta
