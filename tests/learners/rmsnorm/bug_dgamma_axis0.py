# expect-fail: backward gradient shapes
# diagnosis: dgamma summed over axis 0 only
"""dgamma = np.sum(dout * xhat, axis=0), copied from batchnorm and layernorm, where x is (N, D); for (N, T, D) activations it leaves a (T, D) array instead of summing over every position too."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    inv_rms = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv_rms
    return xhat * gamma, (xhat, inv_rms, gamma)


def rmsnorm_backward(dout, cache):
    xhat, inv_rms, gamma = cache
    dxhat = dout * gamma
    dx = inv_rms * (dxhat - xhat * np.mean(dxhat * xhat, axis=-1, keepdims=True))
    dgamma = np.sum(dout * xhat, axis=0)
    return dx, dgamma
