# expect-fail: running statistics (train mode)
# diagnosis: eps in the running variance
"""Per-channel statistics over axes (0, 2, 3), with var = x.var(axis=(0, 2, 3)) + eps computed once
and reused for the running_var update, because every line after it wants "var plus eps" and adding
eps once looked cleaner; the normalisation is right but running_var is eps too large after every
step (times 1 - momentum)."""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    g, bt = gamma.reshape(1, C, 1, 1), beta.reshape(1, C, 1, 1)
    if mode == "train":
        mean = x.mean(axis=(0, 2, 3))
        var = x.var(axis=(0, 2, 3)) + eps
        inv_std = 1.0 / np.sqrt(var)
        xhat = (x - mean.reshape(1, C, 1, 1)) * inv_std.reshape(1, C, 1, 1)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return g * xhat + bt, (xhat, gamma, inv_std)
    if mode == "test":
        xhat = (x - running_mean.reshape(1, C, 1, 1)) / np.sqrt(running_var.reshape(1, C, 1, 1) + eps)
        return g * xhat + bt, None
    raise ValueError(f"mode must be 'train' or 'test', not {mode!r}")


def spatial_batchnorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    N, C, H, W = dout.shape
    M = N * H * W
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * xhat).sum(axis=(0, 2, 3))
    scale = (gamma * inv_std / M).reshape(1, C, 1, 1)
    dx = scale * (M * dout - dbeta.reshape(1, C, 1, 1) - xhat * dgamma.reshape(1, C, 1, 1))
    return dx, dgamma, dbeta
