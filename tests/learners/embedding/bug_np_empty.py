# expect-fail: gradient dweight
# diagnosis: unused rows not zeroed
"""dweight = np.empty_like(weight) and then a loop that adds into it, because np.empty sounds like the fast way to get an array that will be filled anyway, but rows no id picks are never filled and keep whatever the memory held."""
import numpy as np


def embedding_forward(ids, weight):
    if np.any(ids < 0) or np.any(ids >= weight.shape[0]):
        raise ValueError("id out of range")
    return weight[ids], (ids, weight)


def embedding_backward(dout, cache):
    ids, weight = cache
    dweight = np.empty_like(weight)
    seen = set()
    for position, token in np.ndenumerate(ids):
        if token in seen:
            dweight[token] += dout[position]
        else:
            dweight[token] = dout[position]
            seen.add(token)
    return dweight
