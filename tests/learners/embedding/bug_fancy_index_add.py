# expect-fail: gradient dweight; repeated ids; V = 1
# diagnosis: repeated ids counted once
"""dweight[ids] += dout, because it reads as "add each position's gradient to its row" and is right whenever every id is distinct, but numpy's fancy-index += is buffered: a row named several times is written once, by the last of them."""
import numpy as np


def embedding_forward(ids, weight):
    if ids.min() < 0 or ids.max() >= weight.shape[0]:
        raise ValueError("ids must be in [0, V)")
    out = weight[ids]
    return out, (ids, weight.shape)


def embedding_backward(dout, cache):
    ids, shape = cache
    dweight = np.zeros(shape)
    dweight[ids] += dout
    return dweight
