# expect: pass
"""The rms from np.linalg.norm (the 2-norm over the last axis over sqrt(D)), and dx written as a projection: the part of dout * gamma along xhat is removed, as a geometry-minded learner derives it."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    D = x.shape[-1]
    norm = np.linalg.norm(x, axis=-1, keepdims=True)
    rms = np.sqrt(norm ** 2 / D + eps)
    xhat = x / rms
    return xhat * gamma, (xhat, rms, gamma)


def rmsnorm_backward(dout, cache):
    xhat, rms, gamma = cache
    D = xhat.shape[-1]
    g = dout * gamma
    along = np.sum(g * xhat, axis=-1, keepdims=True) / D  # the component of g the rms takes back
    dx = (g - along * xhat) / rms
    dgamma = (dout * xhat).sum(axis=tuple(range(dout.ndim - 1)))  # every axis but the last
    return dx, dgamma
