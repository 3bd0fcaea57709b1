# expect: pass
"""A staged backward that walks the graph out <- xhat <- (mu, var) <- x one node at a time, with the
three equations of the batch-norm paper turned sideways (sums over each row): dvar, then dmu, then
dx = dxhat/sqrt(var + eps) + dvar*2*xmu/D + dmu/D. With D = 1 every dx is exactly 0 (xmu = 0, and
the direct term and the mean's term cancel), but the direct term divides by sqrt(var + eps) while
the mean's term multiplies by -1/sqrt(var + eps), rounded separately (~316 for var = 0 and
eps = 1e-5), so this returns rounding noise (1e-15 to 1e-13) instead of exact zeros. That is right:
by the contract's absolute floor (1e-10 times the largest input magnitude), an exact answer of 0
computed as rounding noise agrees with 0."""
import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    D = x.shape[1]
    mu = x.sum(axis=1, keepdims=True) / D                  # node 1: the row means
    xmu = x - mu                                           # node 2
    var = (xmu ** 2).sum(axis=1, keepdims=True) / D        # node 3: the row variances
    sqrtvar = np.sqrt(var + eps)                           # node 4
    xhat = xmu / sqrtvar                                   # node 5
    out = gamma * xhat + beta                              # node 6
    return out, (xhat, xmu, var, sqrtvar, gamma, eps)


def layernorm_backward(dout, cache):
    xhat, xmu, var, sqrtvar, gamma, eps = cache
    D = dout.shape[1]
    dbeta = dout.sum(axis=0)                                                    # node 6
    dgamma = (dout * xhat).sum(axis=0)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xmu, axis=1, keepdims=True) * -0.5 * (var + eps) ** -1.5   # node 5 -> 4 -> 3
    dmu = (np.sum(dxhat * (-1.0 / sqrtvar), axis=1, keepdims=True)             # node 5 -> 2 -> 1
           + dvar * np.mean(-2.0 * xmu, axis=1, keepdims=True))
    dx = dxhat / sqrtvar + dvar * 2.0 * xmu / D + dmu / D                      # every path back to x
    return dx, dgamma, dbeta
