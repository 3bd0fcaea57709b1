# expect: pass
"""Naive loops over every position: check each id, copy its row, and in backward add each position's dout into its row one at a time, so repeated ids add up by construction."""
import numpy as np


def embedding_forward(ids, weight):
    V, D = weight.shape
    flat = ids.reshape(-1)
    out = np.zeros((flat.size, D))
    for i in range(flat.size):
        token = int(flat[i])
        if token < 0 or token >= V:
            raise ValueError(f"id {token} is outside [0, {V})")
        for d in range(D):
            out[i, d] = weight[token, d]
    return out.reshape(ids.shape + (D,)), (flat, V, D)


def embedding_backward(dout, cache):
    flat, V, D = cache
    dout_flat = dout.reshape(-1, D)
    dweight = np.zeros((V, D))
    for i in range(flat.size):
        for d in range(D):
            dweight[flat[i], d] += dout_flat[i, d]
    return dweight
