# expect-fail: deterministic
"""Backward scales the cached xhat in place to save an allocation, because the cache "belongs to" the layer and is assumed to be used once; a second backward with the same cache (gradient accumulation, a re-run) then starts from altered values."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    inv_rms = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    xhat = x * inv_rms
    return xhat * gamma, {"xhat": xhat, "inv_rms": inv_rms, "gamma": gamma}


def rmsnorm_backward(dout, cache):
    xhat, inv_rms, gamma = cache["xhat"], cache["inv_rms"], cache["gamma"]
    dxhat = dout * gamma
    dgamma = (dout * xhat).reshape(-1, xhat.shape[-1]).sum(axis=0)
    proj = np.mean(dxhat * xhat, axis=-1, keepdims=True)
    xhat *= proj  # reuses the cached buffer: the cache now holds xhat * proj
    dx = inv_rms * (dxhat - xhat)
    return dx, dgamma
