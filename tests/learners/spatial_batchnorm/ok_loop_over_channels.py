# expect: pass
"""A Python loop over channels, each channel's (N, H, W) block normalised on its own, because "one statistic per channel" reads most directly that way."""
import numpy as np


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param.get("mode")
    if mode not in ("train", "test"):
        raise ValueError(f"mode must be 'train' or 'test', got {mode!r}")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = np.array(bn_param.get("running_mean", np.zeros(C)), dtype=float)
    running_var = np.array(bn_param.get("running_var", np.zeros(C)), dtype=float)
    out = np.empty_like(x)
    stds = np.empty(C)
    for c in range(C):
        block = x[:, c]
        if mode == "train":
            mu = block.mean()
            sigma2 = ((block - mu) ** 2).mean()
            running_mean[c] = momentum * running_mean[c] + (1 - momentum) * mu
            running_var[c] = momentum * running_var[c] + (1 - momentum) * sigma2
        else:
            mu, sigma2 = running_mean[c], running_var[c]
        stds[c] = np.sqrt(sigma2 + eps)
        out[:, c] = gamma[c] * (block - mu) / stds[c] + beta[c]
    if mode == "train":
        bn_param["running_mean"], bn_param["running_var"] = running_mean, running_var
    return out, {"x": x.copy(), "gamma": gamma.copy(), "stds": stds}


def spatial_batchnorm_backward(dout, cache):
    x, gamma, stds = cache["x"], cache["gamma"], cache["stds"]
    C = x.shape[1]
    dx = np.empty_like(x)
    dgamma, dbeta = np.empty(C), np.empty(C)
    for c in range(C):
        xhat = (x[:, c] - x[:, c].mean()) / stds[c]
        g = dout[:, c]
        dbeta[c] = g.sum()
        dgamma[c] = (g * xhat).sum()
        dxhat = g * gamma[c]
        dx[:, c] = (dxhat - dxhat.mean() - xhat * (dxhat * xhat).mean()) / stds[c]
    return dx, dgamma, dbeta
