# expect-fail: gradient dx
# diagnosis: dx ignores that the rms depends on x
"""dx = dout * gamma / rms, because out = x * gamma / rms looks linear in x once rms is computed, and the path through rms (which depends on every x of the vector) is forgotten."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    rms = np.sqrt(np.mean(x ** 2, axis=-1, keepdims=True) + eps)
    xhat = x / rms
    return gamma * xhat, (xhat, rms, gamma)


def rmsnorm_backward(dout, cache):
    xhat, rms, gamma = cache
    dx = dout * gamma / rms
    dgamma = (dout * xhat).reshape(-1, gamma.size).sum(axis=0)
    return dx, dgamma
