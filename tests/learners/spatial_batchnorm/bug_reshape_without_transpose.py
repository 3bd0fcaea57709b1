# expect-group-fail: value
# diagnosis: reshaped to (N*H*W, C) without moving C last
"""x.reshape(-1, C) to reuse the (N, D) batchnorm, because the shapes line up, but without first moving C last each "column" mixes values from different channels."""
import numpy as np


def _batchnorm_train(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    xhat = (x - mean) / np.sqrt(var + eps)
    return gamma * xhat + beta, mean, var, (xhat, gamma, var, eps)


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, C, H, W = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    flat = x.reshape(-1, C)
    if mode == "train":
        out, mean, var, cache = _batchnorm_train(flat, gamma, beta, eps)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    elif mode == "test":
        out = gamma * (flat - running_mean) / np.sqrt(running_var + eps) + beta
        cache = None
    else:
        raise ValueError(f"unknown batchnorm mode {mode!r}")
    return out.reshape(N, C, H, W), cache


def spatial_batchnorm_backward(dout, cache):
    xhat, gamma, var, eps = cache
    N, C, H, W = dout.shape
    d = dout.reshape(-1, C)
    dbeta = d.sum(axis=0)
    dgamma = (d * xhat).sum(axis=0)
    dxhat = d * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0)) / np.sqrt(var + eps)
    return dx.reshape(N, C, H, W), dgamma, dbeta
