# expect-fail: forward values; gradient dx; gradient dgamma
# diagnosis: statistics over the batch
"""Mean and variance over axis 0, because the batchnorm answer was adapted by changing too little."""
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean, var = x.mean(axis=0), x.var(axis=0)
    xhat = (x - mean) / np.sqrt(var + eps)
    return gamma * xhat + beta, (x, xhat, gamma, mean, var, eps)


def layernorm_backward(dout, cache):
    x, xhat, gamma, mean, var, eps = cache
    N = x.shape[0]
    dxhat = dout * gamma
    inv_std = 1 / np.sqrt(var + eps)
    dx = inv_std / N * (N * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
    return dx, (dout * xhat).sum(axis=0), dout.sum(axis=0)
