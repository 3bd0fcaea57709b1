# expect-fail: default eps (small x); eps given (1e-2)
# diagnosis: eps outside the square root
"""x / (sqrt(mean(x**2)) + eps), because "add eps to the denominator so it is never zero" is the rule remembered from Adam and RMSprop, where eps does sit outside the root."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    rms = np.sqrt(np.mean(x * x, axis=-1, keepdims=True))
    denom = rms + eps
    return x / denom * gamma, (x, rms, denom, gamma)


def rmsnorm_backward(dout, cache):
    x, rms, denom, gamma = cache
    D = x.shape[-1]
    dxhat = dout * gamma
    # d denom / d x_j = x_j / (D * rms)
    dx = dxhat / denom - x * np.sum(dxhat * x, axis=-1, keepdims=True) / (denom ** 2 * D * rms)
    dgamma = (dout * x / denom).reshape(-1, D).sum(axis=0)
    return dx, dgamma
