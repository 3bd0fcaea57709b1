# expect-fail: forward values
# diagnosis: mean subtracted (layernorm)
"""layernorm with beta dropped, because RMSNorm is remembered as "layernorm without the shift" and the centring step is kept out of habit, though RMSNorm subtracts no mean at all."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    mu = x.mean(axis=-1, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    xhat = (x - mu) * inv_std
    return xhat * gamma, (xhat, inv_std, gamma)


def rmsnorm_backward(dout, cache):
    xhat, inv_std, gamma = cache
    D = xhat.shape[-1]
    dxhat = dout * gamma
    dx = inv_std / D * (D * dxhat - dxhat.sum(axis=-1, keepdims=True)
                        - xhat * (dxhat * xhat).sum(axis=-1, keepdims=True))
    dgamma = (dout * xhat).reshape(-1, D).sum(axis=0)
    return dx, dgamma
