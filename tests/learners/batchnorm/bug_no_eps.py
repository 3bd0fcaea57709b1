# expect-fail: forward values; gradient dx; gradient dgamma; N = 1
# diagnosis: eps left out
"""Normalised by sqrt(var) without eps, because eps looks like a cosmetic constant, but a feature with zero variance (a batch of one) gives 0/0 = NaN."""
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
        var = x.var(axis=0)
        xhat = (x - mean) / np.sqrt(var)
        out = gamma * xhat + beta
        cache = (xhat, gamma, var, eps)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError(f"unknown batchnorm mode {mode!r}")
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, var, eps = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / np.sqrt(var)
    return dx, dgamma, dbeta
