# expect: pass
"""CS231n's compact "alternative" backward, with the 1/N correction written as one term built from
the dbeta and dgamma already computed:
    dx = dout*gamma*inv_std - gamma*inv_std/N * (dbeta + xhat*dgamma).
For a batch of one sample every dx is exactly 0 (xhat = 0 and dbeta = dout), but the two terms are
rounded in different orders ((dout*gamma)*inv_std against (gamma*inv_std)*dout, with inv_std ~ 316
for var = 0 and eps = 1e-5), so this returns rounding noise (1e-15 to 1e-13) instead of exact
zeros. That is right: by the contract's absolute floor (1e-10 times the largest input magnitude),
an exact answer of 0 computed as rounding noise agrees with 0."""
import numpy as np


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    if mode not in ("train", "test"):
        raise ValueError(f"unknown mode {mode!r}: use 'train' or 'test'")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if mode == "test":
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, None
    mean = x.mean(axis=0)
    xc = x - mean
    var = (xc ** 2).mean(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = xc * inv_std
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return gamma * xhat + beta, (xhat, gamma, inv_std)


def batchnorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * xhat).sum(axis=0)
    dx = dout * gamma * inv_std - gamma * inv_std / N * (dbeta + xhat * dgamma)
    return dx, dgamma, dbeta
