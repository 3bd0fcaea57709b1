# expect-fail: default eps (small x)
# diagnosis: default eps too small
"""eps=None meaning machine epsilon, copied from torch.nn.RMSNorm's signature, where eps=None means torch.finfo(dtype).eps: in float64 that is 2.2e-16, effectively no eps at all."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=None):
    if eps is None:
        eps = np.finfo(x.dtype).eps
    rms = np.sqrt(np.mean(np.square(x), axis=-1, keepdims=True) + eps)
    return x / rms * gamma, (x, rms, gamma)


def rmsnorm_backward(dout, cache):
    x, rms, gamma = cache
    D = x.shape[-1]
    g = dout * gamma
    dx = g / rms - x * np.sum(g * x, axis=-1, keepdims=True) / (D * rms ** 3)
    dgamma = np.sum((dout * x / rms).reshape(-1, D), axis=0)
    return dx, dgamma
