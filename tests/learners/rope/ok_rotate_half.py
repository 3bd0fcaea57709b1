# expect: pass
"""The Hugging Face LLaMA formulation, x * cos + rotate_half(x) * sin with cos and sin tables of width d, because that is the code a learner has read in transformers' modeling_llama.py."""
import numpy as np


def rotate_half(x):
    x1, x2 = np.split(x, 2, axis=-1)
    return np.concatenate((-x2, x1), axis=-1)


def rope_forward(x, positions=None, base=10000.0):
    seq_len, dim = x.shape[-2:]
    if dim % 2:
        raise ValueError(f"head dim {dim} is odd")
    position_ids = np.arange(seq_len) if positions is None else np.asarray(positions)
    inv_freq = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    freqs = np.outer(position_ids, inv_freq)
    emb = np.concatenate((freqs, freqs), axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    return x * cos + rotate_half(x) * sin, {"cos": cos, "sin": sin}


def rope_backward(dout, cache):
    # the transpose of x -> x*cos + rotate_half(x)*sin: rotate_half's transpose is -rotate_half
    return dout * cache["cos"] - rotate_half(dout * cache["sin"])
