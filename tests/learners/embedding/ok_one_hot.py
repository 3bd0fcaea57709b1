# expect: pass
"""The lookup as a product with one-hot rows, as the embedding is often explained: out = onehot(ids) @ weight and dweight = onehot(ids).T @ dout, where the sum over positions adds repeated ids up by itself."""
import numpy as np


def embedding_forward(ids, weight):
    V = weight.shape[0]
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() > V - 1):
        raise ValueError("every id must satisfy 0 <= id < V")
    one_hot = (ids.reshape(-1, 1) == np.arange(V)).astype(weight.dtype)  # (positions, V)
    out = (one_hot @ weight).reshape(*ids.shape, weight.shape[1])
    return out, one_hot


def embedding_backward(dout, cache):
    one_hot = cache
    return one_hot.T @ dout.reshape(one_hot.shape[0], -1)
