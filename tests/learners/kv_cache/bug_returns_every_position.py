# expect-fail: decode_step over several steps; starting with one token; num_heads = 1; num_heads = D
"""Keeps x so far, recomputes the causal attention over the whole sequence and returns all of it, (N, T, D),
rather than the S new rows: right on the first call, where T = S, and of the wrong shape on every later one."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    if x_new.shape[-1] % num_heads:
        raise ValueError("num_heads must divide D")
    x = x_new if cache is None else np.concatenate([cache, x_new], axis=1)
    N, T, D = x.shape
    dh = D // num_heads
    heads = []
    for h in range(num_heads):
        cols = slice(h * dh, (h + 1) * dh)
        scores = (x @ w_q[:, cols]) @ (x @ w_k[:, cols]).transpose(0, 2, 1) / np.sqrt(dh)
        scores = np.where(np.tril(np.ones((T, T), dtype=bool)), scores, -np.inf)
        probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
        heads.append(probs / probs.sum(axis=-1, keepdims=True) @ (x @ w_v[:, cols]))
    return np.concatenate(heads, axis=-1) @ w_o, x
