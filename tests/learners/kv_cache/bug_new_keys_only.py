# expect-fail: decode_step over several steps; starting with one token
# diagnosis: only the new keys attended
"""Updates the cache correctly but attends with the local k and v of the new positions, the names that were in
scope when the attention lines were copied from a full-sequence mha: the history is stored and never read."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads

    def heads(a):
        return a.reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = heads(x_new @ w_q), heads(x_new @ w_k), heads(x_new @ w_v)
    if cache is None:
        cache = {"k": k, "v": v}
    else:
        cache = {"k": np.concatenate([cache["k"], k], axis=2), "v": np.concatenate([cache["v"], v], axis=2)}
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)
    scores = np.where(np.tril(np.ones((S, S), dtype=bool)), scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ v).transpose(0, 2, 1, 3).reshape(N, S, D) @ w_o, cache
