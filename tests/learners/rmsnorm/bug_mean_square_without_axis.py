# expect-fail: forward values
# diagnosis: rms over the whole array
"""np.mean(x ** 2) with no axis, because on the single vector the formula was first tried on there is only one mean to take, and the axis argument is never added when a batch arrives."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    rms = np.sqrt(np.mean(x ** 2) + eps)
    xhat = x / rms
    return xhat * gamma, (x, xhat, rms, gamma)


def rmsnorm_backward(dout, cache):
    x, xhat, rms, gamma = cache
    dxhat = dout * gamma
    dx = (dxhat - xhat * np.mean(dxhat * xhat)) / rms
    dgamma = np.sum(dout * xhat, axis=tuple(range(x.ndim - 1)))
    return dx, dgamma
