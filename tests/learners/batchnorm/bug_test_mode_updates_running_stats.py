# expect-group-fail: edge
# diagnosis: test mode updates the running statistics
"""Running statistics updated after the if/else, in test mode too, because the update looks like bookkeeping that belongs at the end of every call, so evaluating the model changes it."""
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
        xhat = (x - mean) / np.sqrt(var + eps)
        out = gamma * xhat + beta
        cache = (xhat, gamma, var, eps)
    elif mode == "test":
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError(f"unknown batchnorm mode {mode!r}")
    mean, var = x.mean(axis=0), x.var(axis=0)
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return out, cache


def batchnorm_backward(dout, cache):
    xhat, gamma, var, eps = cache
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / np.sqrt(var + eps)
    return dx, dgamma, dbeta
