# expect-fail: decode_step over several steps; starting with one token
# diagnosis: cache grown along the wrong axis
"""Splits into heads, (N, H, T, dh), and appends the new keys and values with axis=-1, "the last axis", because
the keys were columns of K^T on paper: on (N, H, T, dh) the last axis is a head's features, time is axis -2."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads

    def heads(a):
        return a.reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = heads(x_new @ w_q), heads(x_new @ w_k), heads(x_new @ w_v)
    if cache is not None:
        k = np.concatenate([cache["k"], k], axis=-1)
        v = np.concatenate([cache["v"], v], axis=-1)
    T = k.shape[2]
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    scores = np.where(np.arange(T) <= np.arange(S)[:, None] + T - S, scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ v).transpose(0, 2, 1, 3).reshape(N, S, D) @ w_o, {"k": k, "v": v}
