# expect: pass
"""One feature at a time in a Python loop, a dict for the cache, and a backward that recomputes the statistics from the saved x, because the per-column view is how the maths reads."""
import numpy as np


def batchnorm_forward(x, gamma, beta, bn_param):
    if bn_param.get("mode") not in ("train", "test"):
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', not {bn_param.get('mode')!r}")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    N, D = x.shape
    out = np.empty_like(x)
    if bn_param["mode"] == "test":
        running_mean = bn_param.get("running_mean", np.zeros(D))
        running_var = bn_param.get("running_var", np.zeros(D))
        for d in range(D):
            out[:, d] = gamma[d] * (x[:, d] - running_mean[d]) / np.sqrt(running_var[d] + eps) + beta[d]
        return out, {}
    means, variances = np.empty(D), np.empty(D)
    for d in range(D):
        column = x[:, d]
        means[d] = np.mean(column)
        variances[d] = np.mean((column - means[d]) ** 2)
        out[:, d] = gamma[d] * (column - means[d]) / np.sqrt(variances[d] + eps) + beta[d]
    bn_param["running_mean"] = momentum * bn_param.get("running_mean", np.zeros(D)) + (1 - momentum) * means
    bn_param["running_var"] = momentum * bn_param.get("running_var", np.zeros(D)) + (1 - momentum) * variances
    return out, {"x": x.copy(), "gamma": gamma.copy(), "eps": eps}


def batchnorm_backward(dout, cache):
    x, gamma, eps = cache["x"], cache["gamma"], cache["eps"]
    N, D = x.shape
    dx, dgamma, dbeta = np.empty_like(x), np.empty(D), np.empty(D)
    for d in range(D):
        centred = x[:, d] - x[:, d].mean()
        std = np.sqrt(np.mean(centred**2) + eps)
        xhat = centred / std
        g = dout[:, d]
        dbeta[d] = g.sum()
        dgamma[d] = (g * xhat).sum()
        dx[:, d] = gamma[d] / (N * std) * (N * g - g.sum() - xhat * (g * xhat).sum())
    return dx, dgamma, dbeta
