# expect: pass
"""einsum over the flattened features, np.prod for D, and a dict as the cache."""
import numpy as np


def linear_forward(x, w, b):
    N = x.shape[0]
    D = int(np.prod(x.shape[1:]))
    flat = np.reshape(x, (N, D))
    out = np.einsum("nd,dm->nm", flat, w) + b[None, :]
    return out, {"flat": flat, "w": w, "shape": x.shape}


def linear_backward(dout, cache):
    dx = np.einsum("nm,dm->nd", dout, cache["w"]).reshape(cache["shape"])
    dw = np.einsum("nd,nm->dm", cache["flat"], dout)
    db = np.einsum("nm->m", dout)
    return dx, dw, db
