# expect: pass
"""The computational graph, one node at a time, backpropagated node by node (the CS231n way), with einsum for dgamma after folding every leading axis into one."""
import numpy as np


def rmsnorm_forward(x, gamma, eps=1e-6):
    sq = x ** 2
    ms = sq.mean(axis=-1, keepdims=True)
    rms = np.sqrt(ms + eps)
    inv = 1.0 / rms
    xhat = x * inv
    out = xhat * gamma
    return out, {"x": x, "ms": ms, "rms": rms, "inv": inv, "xhat": xhat, "gamma": gamma, "eps": eps}


def rmsnorm_backward(dout, cache):
    c = cache
    D = c["x"].shape[-1]
    dgamma = np.einsum("nd,nd->d", dout.reshape(-1, D), c["xhat"].reshape(-1, D))
    dxhat = dout * c["gamma"]
    dinv = np.sum(dxhat * c["x"], axis=-1, keepdims=True)
    dx1 = dxhat * c["inv"]
    drms = -dinv / c["rms"] ** 2
    dms = drms * 0.5 / np.sqrt(c["ms"] + c["eps"])
    dsq = np.broadcast_to(dms / D, c["x"].shape)
    dx2 = 2 * c["x"] * dsq
    return dx1 + dx2, dgamma
