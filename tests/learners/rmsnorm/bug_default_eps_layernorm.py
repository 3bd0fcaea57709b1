# expect-fail: default eps (small x)
# diagnosis: default eps 1e-5
"""eps=1e-5 as the default, because that is the number torch.nn.LayerNorm and BatchNorm use and it was typed from memory; LLaMA's RMSNorm uses 1e-6."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-5):
    inv_rms = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv_rms
    return xhat * gamma, (xhat, inv_rms, gamma)


def rmsnorm_backward(dout, cache):
    xhat, inv_rms, gamma = cache
    dxhat = dout * gamma
    dx = inv_rms * (dxhat - xhat * np.mean(dxhat * xhat, axis=-1, keepdims=True))
    dgamma = (dout * xhat).reshape(-1, xhat.shape[-1]).sum(axis=0)
    return dx, dgamma
