# expect-fail: decode_step over several steps; starting with one token
# diagnosis: no causal mask within a chunk
"""Masks the prompt (the call without a cache) and nothing after it, because "during decoding there is one new
token, which may see everything": a later chunk of several positions lets each of them see the ones after it."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads

    def heads(a):
        return a.reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = heads(x_new @ w_q), heads(x_new @ w_k), heads(x_new @ w_v)
    scores_mask = None
    if cache is None:
        scores_mask = np.tril(np.ones((S, S), dtype=bool))
    else:
        k = np.concatenate([cache["k"], k], axis=2)
        v = np.concatenate([cache["v"], v], axis=2)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    if scores_mask is not None:
        scores = np.where(scores_mask, scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ v).transpose(0, 2, 1, 3).reshape(N, S, D) @ w_o, {"k": k, "v": v}
