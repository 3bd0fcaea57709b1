# expect-fail: id equal to V raises ValueError; negative id raises ValueError
"""ids are clipped to [0, V - 1] "to be safe", because a crash in the middle of training feels worse than a wrong row, but an id out of range is a bug upstream (a tokenizer and a table that disagree) that the layer must report, not hide."""
import numpy as np


def embedding_forward(ids, weight):
    safe = np.clip(ids, 0, weight.shape[0] - 1)
    return weight[safe], (safe, weight.shape[0])


def embedding_backward(dout, cache):
    safe, vocab = cache
    dweight = np.zeros((vocab, dout.shape[-1]))
    np.add.at(dweight, safe, dout)
    return dweight
