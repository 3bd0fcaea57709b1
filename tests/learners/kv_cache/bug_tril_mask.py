# expect-fail: decode_step over several steps; starting with one token
# diagnosis: causal mask aligned top-left
"""Builds the mask of a chunk as np.tril(np.ones((S, T))), the causal mask as learnt for a square T x T score
matrix: on an (S, T) one it is aligned top-left, so after a cache the new queries are treated as positions
0..S-1 (one new token sees key 0 only). It is right on the prompt, where S = T, which is where the learner
tried it."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads

    def heads(a):
        return a.reshape(N, -1, num_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = heads(x_new @ w_q), heads(x_new @ w_k), heads(x_new @ w_v)
    if cache is not None:
        k = np.concatenate([cache[0], k], axis=2)
        v = np.concatenate([cache[1], v], axis=2)
    T = k.shape[2]
    mask = np.tril(np.ones((S, T), dtype=bool))
    scores = np.where(mask, q @ np.swapaxes(k, -1, -2) / np.sqrt(dh), -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ v).transpose(0, 2, 1, 3).reshape(N, S, D) @ w_o, (k, v)
