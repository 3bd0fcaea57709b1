# expect-fail: backward gradient shapes
"""dweight = dout.sum(axis=0), because the weight is shared by every example, as a bias is, and a shared parameter's gradient is summed over the batch; but each position uses only the row its id picks, so dout goes to that row, not to all of them at once."""
import numpy as np


def embedding_forward(ids, weight):
    if np.any(ids < 0) or np.any(ids >= weight.shape[0]):
        raise ValueError("bad id")
    return weight[ids], ids


def embedding_backward(dout, cache):
    return dout.sum(axis=0)
