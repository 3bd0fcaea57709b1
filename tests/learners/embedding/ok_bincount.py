# expect: pass
"""np.bincount with weights, one column of the table at a time: it sums every occurrence of an id and, with minlength=V, gives 0 to the rows nobody picks; the forward uses np.take."""
import numpy as np


def embedding_forward(ids, weight):
    n_rows = weight.shape[0]
    bad = (ids < 0) | (ids >= n_rows)
    if bad.any():
        raise ValueError(f"{int(bad.sum())} ids outside [0, {n_rows})")
    return np.take(weight, ids, axis=0), (ids.ravel(), n_rows)


def embedding_backward(dout, cache):
    flat_ids, n_rows = cache
    columns = dout.reshape(flat_ids.size, -1)
    return np.stack([np.bincount(flat_ids, weights=columns[:, j], minlength=n_rows)
                     for j in range(columns.shape[1])], axis=1)
