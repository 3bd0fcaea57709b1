# expect-fail: decode_step over several steps; starting with one token; num_heads = D
# diagnosis: scaled by sqrt(D)
"""Divides the scores by sqrt(D), "the dimension" as in the paper's d_k, taken as the model width rather than
the size of one head: right with one head only."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    q = (x_new @ w_q).reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)
    k = (x_new @ w_k).reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)
    v = (x_new @ w_v).reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)
    if cache is not None:
        k = np.concatenate([cache["k"], k], axis=2)
        v = np.concatenate([cache["v"], v], axis=2)
    T = k.shape[2]
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(D)
    scores = np.where(np.arange(T)[None, :] <= np.arange(T - S, T)[:, None], scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ v).transpose(0, 2, 1, 3).reshape(N, S, D) @ w_o, {"k": k, "v": v}
