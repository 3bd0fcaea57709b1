# expect-fail: forward values; gradient dx; gradient dgamma; gradient dbeta; large common offset (1e6); test mode uses the running statistics
# diagnosis: reshaped from (N*H*W, C) straight back to (N, C, H, W)
"""x moved to (N*H*W, C) the right way, x.transpose(0, 2, 3, 1).reshape(-1, C), normalised per
column, and then out.reshape(N, C, H, W) straight back, because the reshape has the right number
of elements and the right final shape, so it "undoes" the flattening; without going through
(N, H, W, C) and transposing, the values land in the wrong places. The backward mirrors the
forward step by step (dout.reshape(-1, C), the 2-D batchnorm backward, then reshape to (N, H, W, C)
and transpose), so it is the true gradient of this wrong forward."""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, C, H, W = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(C))
    running_var = bn_param.get("running_var", np.zeros(C))
    flat = x.transpose(0, 2, 3, 1).reshape(-1, C)                 # (N*H*W, C)
    if mode == "train":
        mean = flat.mean(axis=0)
        var = flat.var(axis=0)
        std = np.sqrt(var + eps)
        xhat = (flat - mean) / std
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        cache = (xhat, gamma, std, x.shape)
    elif mode == "test":
        xhat = (flat - running_mean) / np.sqrt(running_var + eps)
        cache = None
    else:
        raise ValueError(f"unknown mode {mode!r}")
    out = gamma * xhat + beta
    return out.reshape(N, C, H, W), cache


def spatial_batchnorm_backward(dout, cache):
    xhat, gamma, std, (N, C, H, W) = cache
    M = xhat.shape[0]
    d = dout.reshape(-1, C)                                       # undo the forward's last reshape
    dbeta = d.sum(axis=0)
    dgamma = (d * xhat).sum(axis=0)
    dxhat = d * gamma
    dflat = (dxhat - dxhat.sum(axis=0) / M - xhat * (dxhat * xhat).sum(axis=0) / M) / std
    return dflat.reshape(N, H, W, C).transpose(0, 3, 1, 2), dgamma, dbeta
