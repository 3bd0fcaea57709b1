# expect-fail: negative id raises ValueError
# diagnosis: negative ids wrap around
"""Only the upper bound is checked, because ids >= V is the error everyone has met (an IndexError), while weight[-1] returns the last row without a complaint: a negative id, a padding value of -1 say, silently reads the end of the table."""
import numpy as np


def embedding_forward(ids, weight):
    vocab_size = weight.shape[0]
    if (ids >= vocab_size).any():
        raise ValueError(f"token id out of range for a vocabulary of {vocab_size}")
    return weight[ids], (ids, vocab_size)


def embedding_backward(dout, cache):
    ids, vocab_size = cache
    dweight = np.zeros((vocab_size, dout.shape[-1]))
    np.add.at(dweight, ids, dout)
    return dweight
