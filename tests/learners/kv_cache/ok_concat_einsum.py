# expect: pass
"""Keeps keys and values as (N, T, D), appended with np.concatenate on the time axis, split into heads with a
reshape to (N, T, H, dh) and einsum over named axes; the mask is np.tril shifted by T - S, so that new row i sees
the T - S cached positions too. The cache is a plain tuple."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    H = num_heads
    if D % H:
        raise ValueError(f"{H} heads do not divide D = {D}")
    dh = D // H
    q, k_new, v_new = x_new @ w_q, x_new @ w_k, x_new @ w_v
    if cache is None:
        K, V = k_new, v_new
    else:
        K, V = np.concatenate([cache[0], k_new], axis=1), np.concatenate([cache[1], v_new], axis=1)
    T = K.shape[1]
    scores = np.einsum("nshd,nthd->nhst", q.reshape(N, S, H, dh), K.reshape(N, T, H, dh)) / np.sqrt(dh)
    mask = np.tril(np.ones((S, T), dtype=bool), k=T - S)
    scores = np.where(mask, scores, -np.inf)
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)
    heads = np.einsum("nhst,nthd->nshd", probs, V.reshape(N, T, H, dh)).reshape(N, S, D)
    return heads @ w_o, (K, V)
