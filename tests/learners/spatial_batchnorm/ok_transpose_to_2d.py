# expect: pass
"""Moves the channel axis last, flattens to (N*H*W, C) and reuses a plain (N, D) batchnorm, as the CS231n assignment suggests."""
import numpy as np


def _to_2d(x):
    return x.transpose(0, 2, 3, 1).reshape(-1, x.shape[1])


def _from_2d(flat, shape):
    N, C, H, W = shape
    return flat.reshape(N, H, W, C).transpose(0, 3, 1, 2)


def _batchnorm_forward(x, gamma, beta, bn_param):
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
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return gamma * xhat + beta, (xhat, gamma, var, eps)
    if mode == "test":
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, None
    raise ValueError(f"unknown batchnorm mode {mode!r}")


def _batchnorm_backward(dout, cache):
    xhat, gamma, var, eps = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = gamma / (N * np.sqrt(var + eps)) * (N * dout - dbeta - xhat * dgamma)
    return dx, dgamma, dbeta


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    out, cache = _batchnorm_forward(_to_2d(x), gamma, beta, bn_param)
    return _from_2d(out, x.shape), (cache, x.shape)


def spatial_batchnorm_backward(dout, cache):
    cache, shape = cache
    dx, dgamma, dbeta = _batchnorm_backward(_to_2d(dout), cache)
    return _from_2d(dx, shape), dgamma, dbeta
