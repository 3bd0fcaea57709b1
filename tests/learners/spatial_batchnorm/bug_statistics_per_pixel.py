# expect-fail: forward values; running statistics (train mode); gradient dx; gradient dgamma; large common offset (1e6)
# diagnosis: statistics per pixel
"""The (N, D) batchnorm pasted in unchanged, mean and variance over axis 0 only, because "batch
norm averages over the batch" and numpy broadcasts the (C, H, W) statistics without complaint;
so every pixel of every channel gets its own mean and variance instead of one per channel. The
backward is the same formula over axis 0, consistent with that forward; the running statistics
average the per-pixel ones over H and W to get back to shape (C,)."""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    g = gamma[None, :, None, None]
    bt = beta[None, :, None, None]
    if mode == "train":
        mu = x.mean(axis=0)
        var = x.var(axis=0)
        xhat = (x - mu) / np.sqrt(var + eps)
        out = g * xhat + bt
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu.mean(axis=(1, 2))
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var.mean(axis=(1, 2))
        cache = (xhat, g, var, eps)
    elif mode == "test":
        out = g * (x - running_mean[None, :, None, None]) / np.sqrt(running_var[None, :, None, None] + eps) + bt
        cache = None
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    xhat, g, var, eps = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * xhat).sum(axis=(0, 2, 3))
    dxhat = dout * g
    dx = (N * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0)) / (N * np.sqrt(var + eps))
    return dx, dgamma, dbeta
