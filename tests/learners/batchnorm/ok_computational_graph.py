# expect: pass
"""Forward as a chain of tiny steps and backward through the same graph one node at a time (CS231n's staged derivation), instead of the compact closed formula."""
import numpy as np


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if mode not in ("train", "test"):
        raise ValueError("mode must be 'train' or 'test'")
    if mode == "test":
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, None

    N = x.shape[0]
    mu = np.sum(x, axis=0) / N                  # step 1
    xmu = x - mu                                # step 2
    sq = xmu**2                                 # step 3
    var = np.sum(sq, axis=0) / N                # step 4
    sqrtvar = np.sqrt(var + eps)                # step 5
    ivar = 1.0 / sqrtvar                        # step 6
    xhat = xmu * ivar                           # step 7
    gammax = gamma * xhat                       # step 8
    out = gammax + beta                         # step 9
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return out, (xhat, gamma, xmu, ivar, sqrtvar, var, eps)


def batchnorm_backward(dout, cache):
    xhat, gamma, xmu, ivar, sqrtvar, var, eps = cache
    N = dout.shape[0]
    dbeta = np.sum(dout, axis=0)                        # step 9
    dgammax = dout
    dgamma = np.sum(dgammax * xhat, axis=0)             # step 8
    dxhat = dgammax * gamma
    divar = np.sum(dxhat * xmu, axis=0)                 # step 7
    dxmu1 = dxhat * ivar
    dsqrtvar = -1.0 / (sqrtvar**2) * divar              # step 6
    dvar = 0.5 * 1.0 / np.sqrt(var + eps) * dsqrtvar    # step 5
    dsq = 1.0 / N * np.ones_like(dout) * dvar           # step 4
    dxmu2 = 2 * xmu * dsq                               # step 3
    dx1 = dxmu1 + dxmu2                                 # step 2
    dmu = -1 * np.sum(dxmu1 + dxmu2, axis=0)
    dx2 = 1.0 / N * np.ones_like(dout) * dmu            # step 1
    dx = dx1 + dx2
    return dx, dgamma, dbeta
