# expect: pass
"""The computational graph, one node at a time, backpropagated node by node (the CS231n way)."""
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    D = x.shape[1]
    mu = np.sum(x, axis=1, keepdims=True) / D
    xmu = x - mu
    sq = xmu ** 2
    var = np.sum(sq, axis=1, keepdims=True) / D
    sqrtvar = np.sqrt(var + eps)
    ivar = 1 / sqrtvar
    xhat = xmu * ivar
    out = gamma * xhat + beta
    return out, {"xhat": xhat, "gamma": gamma, "xmu": xmu, "ivar": ivar, "sqrtvar": sqrtvar, "var": var, "eps": eps}


def layernorm_backward(dout, cache):
    c = cache
    D = dout.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(dout * c["xhat"], axis=0)
    dxhat = dout * c["gamma"]
    divar = np.sum(dxhat * c["xmu"], axis=1, keepdims=True)
    dxmu1 = dxhat * c["ivar"]
    dsqrtvar = -divar / c["sqrtvar"] ** 2
    dvar = 0.5 * dsqrtvar / np.sqrt(c["var"] + c["eps"])
    dsq = np.ones_like(dout) * dvar / D
    dxmu2 = 2 * c["xmu"] * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -np.sum(dx1, axis=1, keepdims=True)
    dx2 = np.ones_like(dout) * dmu / D
    return dx1 + dx2, dgamma, dbeta
