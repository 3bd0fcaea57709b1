# expect-fail: x_new and the weights not modified
"""Folds the 1/sqrt(dh) scale into the query weights once, on the first call, with w_q /= np.sqrt(dh), as
inference code does to save a multiplication per step; in place, it changes the caller's w_q (the values come
out right here only because the grader hands each call fresh copies)."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    if cache is None:
        w_q /= np.sqrt(dh)
        cache = {"k": np.zeros((N, num_heads, 0, dh)), "v": np.zeros((N, num_heads, 0, dh)),
                 "w_q": w_q.copy()}

    def heads(a):
        return a.reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)

    q = heads(x_new @ cache["w_q"])
    k = np.concatenate([cache["k"], heads(x_new @ w_k)], axis=2)
    v = np.concatenate([cache["v"], heads(x_new @ w_v)], axis=2)
    T = k.shape[2]
    scores = np.where(np.arange(T) <= np.arange(S)[:, None] + T - S, q @ k.transpose(0, 1, 3, 2), -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ v).transpose(0, 2, 1, 3).reshape(N, S, D) @ w_o, {**cache, "k": k, "v": v}
