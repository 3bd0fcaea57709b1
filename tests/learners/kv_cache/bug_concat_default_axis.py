# expect-fail: decode_step over several steps
# diagnosis: cache grown along the wrong axis
"""Keeps keys and values as (N, T, D) and appends with np.concatenate([cache_k, k]), forgetting axis=: numpy joins
on axis 0, the batch. The first call (no cache) is right; the second fails as soon as the cached length differs
from the new chunk's."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    q, k, v = x_new @ w_q, x_new @ w_k, x_new @ w_v
    if cache is not None:
        k = np.concatenate([cache["k"], k])
        v = np.concatenate([cache["v"], v])
    T = k.shape[1]
    qh = q.reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)
    kh = k.reshape(N, T, num_heads, dh).transpose(0, 2, 1, 3)
    vh = v.reshape(N, T, num_heads, dh).transpose(0, 2, 1, 3)
    scores = qh @ kh.transpose(0, 1, 3, 2) / np.sqrt(dh)
    scores = np.where(np.arange(T) <= np.arange(S)[:, None] + T - S, scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ vh).transpose(0, 2, 1, 3).reshape(N, S, D) @ w_o, {"k": k, "v": v}
