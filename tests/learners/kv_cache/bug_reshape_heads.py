# expect-fail: decode_step over several steps; starting with one token; num_heads = D
# diagnosis: heads split by a reshape without transpose
"""Splits the heads with one reshape, (N, S, D) -> (N, H, S, dh), and merges them back with the inverse
reshape: the shapes are right, so nothing complains, but each "head" gets a block of the flattened positions
and columns rather than its columns at every position."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    q = (x_new @ w_q).reshape(N, num_heads, S, dh)
    k = (x_new @ w_k).reshape(N, num_heads, S, dh)
    v = (x_new @ w_v).reshape(N, num_heads, S, dh)
    if cache is not None:
        k = np.concatenate([cache["k"], k], axis=2)
        v = np.concatenate([cache["v"], v], axis=2)
    T = k.shape[2]
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    scores = np.where(np.arange(T) <= np.arange(S)[:, None] + T - S, scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ v).reshape(N, S, D) @ w_o, {"k": k, "v": v}
