# expect-fail: forward values; gradient dx; gradient dgamma
# diagnosis: eps outside the square root
"""Per-channel statistics right, but each channel divided by np.sqrt(var) + eps, because the eps is
thought of as a guard added to the denominator, not part of the variance under the root."""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    g, b = gamma[None, :, None, None], beta[None, :, None, None]
    if mode == "train":
        mean = x.mean(axis=(0, 2, 3), keepdims=True)
        var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        std = np.sqrt(var) + eps
        xhat = (x - mean) / std
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean.ravel()
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var.ravel()
        return g * xhat + b, (xhat, g, std)
    if mode == "test":
        xhat = (x - running_mean[None, :, None, None]) / np.sqrt(running_var[None, :, None, None] + eps)
        return g * xhat + b, None
    raise ValueError(f"unknown mode {mode!r}")


def spatial_batchnorm_backward(dout, cache):
    xhat, g, std = cache
    axes = (0, 2, 3)
    dxhat = dout * g
    dx = (dxhat - dxhat.mean(axis=axes, keepdims=True)
          - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True)) / std
    return dx, (dout * xhat).sum(axis=axes), dout.sum(axis=axes)
