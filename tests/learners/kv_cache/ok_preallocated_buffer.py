# expect: pass
"""Preallocates per-head key and value buffers (N, H, capacity, dh) and writes each chunk into them in place,
doubling the capacity when a chunk does not fit, as inference engines do; the cache dict is updated in place and
returned. Attention reads only the first T slots. Masked scores are set to a large negative number rather than
-inf."""
import numpy as np


def _grow(buffer, needed):
    capacity = buffer.shape[2]
    while capacity < needed:
        capacity *= 2
    bigger = np.zeros(buffer.shape[:2] + (capacity,) + buffer.shape[3:])
    bigger[:, :, :buffer.shape[2]] = buffer
    return bigger


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads

    def split(a):
        return a.reshape(N, S, num_heads, dh).swapaxes(1, 2)

    if cache is None:
        cache = {"t": 0, "k": np.zeros((N, num_heads, 8, dh)), "v": np.zeros((N, num_heads, 8, dh))}
    t0, T = cache["t"], cache["t"] + S
    if T > cache["k"].shape[2]:
        cache["k"], cache["v"] = _grow(cache["k"], T), _grow(cache["v"], T)
    cache["k"][:, :, t0:T] = split(x_new @ w_k)
    cache["v"][:, :, t0:T] = split(x_new @ w_v)
    cache["t"] = T
    keys, values = cache["k"][:, :, :T], cache["v"][:, :, :T]

    scores = np.matmul(split(x_new @ w_q), keys.swapaxes(-1, -2)) / np.sqrt(dh)
    positions = t0 + np.arange(S)
    scores[..., np.arange(T)[None, :] > positions[:, None]] = -1e30
    scores -= scores.max(axis=-1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=-1, keepdims=True)
    return (probs @ values).swapaxes(1, 2).reshape(N, S, D) @ w_o, cache
