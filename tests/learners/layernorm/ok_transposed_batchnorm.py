# expect: pass
"""Batchnorm's code reused on the transpose: features become the batch axis."""
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    xt = x.T                                   # (D, N): each column is a sample
    mean = xt.mean(axis=0)
    inv_std = 1 / np.sqrt(((xt - mean) ** 2).mean(axis=0) + eps)
    xhat = ((xt - mean) * inv_std).T
    return xhat * gamma + beta, (xhat, gamma, inv_std)


def layernorm_backward(dout, cache):
    xhat, gamma, inv_std = cache
    dxhat_t = (dout * gamma).T                 # (D, N)
    xhat_t = xhat.T
    D = dxhat_t.shape[0]
    dx_t = inv_std / D * (D * dxhat_t - dxhat_t.sum(axis=0) - xhat_t * (dxhat_t * xhat_t).sum(axis=0))
    return dx_t.T, (dout * xhat).sum(axis=0), dout.sum(axis=0)
