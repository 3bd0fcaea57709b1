"""Reference solution for the kv_cache kata: causal multi-head self-attention, one chunk of positions at a time."""

import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    """Causal multi-head self-attention for new positions only, with a key/value cache.

    A decoder grows its sequence a few positions at a time: a prompt, then
    one token after another. Under a causal mask position t attends to
    positions 0..t only, so the keys and values of earlier positions never
    change when new ones arrive: keep them in a cache, and compute only the
    rows of the new positions.

    x_new holds the next S >= 1 positions of each of the N sequences (a
    whole prompt at once, one token at a time, or chunks of any size after
    each other). Let x be the whole sequence so far, new positions
    included, of shape (N, T, D) (T = S on the first call). out_new must
    equal the last S rows of the multi-head self-attention of x with a
    causal mask (mha_forward(x, w_q, w_k, w_v, w_o, num_heads,
    causal_mask(T)) of the multihead_attention and attention katas):

        q = x @ w_q,  k = x @ w_k,  v = x @ w_v      (N, T, D) each
        head h takes the columns h*dh:(h+1)*dh of q, k and v, where
        dh = D // num_heads, and computes
            scores = q_h @ k_h^T / sqrt(dh)          (N, T, T)
            probs  = the softmax over the keys (the last axis) of the
                     allowed scores: position i attends to position j
                     when j <= i; a masked key gets probability 0
            heads_h = probs @ v_h                    (N, T, dh)
        out = the heads side by side in head order (N, T, D), @ w_o

    The scale is 1/sqrt(dh), the size of one head, not 1/sqrt(D). Only the
    last S rows are asked for, and a row's queries are its own: new row i
    is position T - S + i, so it attends to every earlier position and to
    the new ones up to its own, key j when j <= i + (T - S) (the causal
    mask aligned bottom-right, causal_mask(S, T); np.tril of an (S, T)
    array aligns it top-left, j <= i, which is wrong whenever T > S). Its
    keys and values are those of all T positions: the cached ones and the
    new ones, in position order along the time axis.

    cache is None on the first call; after that, whatever the previous
    call returned (opaque: the grader only hands it back to the next
    call). What it holds is yours: the keys and values so far (per head or
    not), preallocated buffers, anything. A call may update the cache it
    is given in place: the grader never reuses a cache after handing it to
    a call. Keys and values of earlier positions are meant to be kept, not
    recomputed from their x at every call (a step would cost more and more
    as the sequence grows); nothing in the score depends on it.

    num_heads must divide D: otherwise raise ValueError. Do not modify
    x_new or the weights. There is no backward.

    Inputs:
    - x_new: the new positions, of shape (N, S, D), S >= 1
    - w_q, w_k, w_v, w_o: weights, each of shape (D, D) (no biases)
    - num_heads: the number of heads, an int dividing D
    - cache: None, or the cache the previous call returned

    Returns a tuple of:
    - out_new: the attention output at the new positions, of shape
      (N, S, D)
    - cache: the cache to pass to the next call, with these positions' keys
      and values in it

    What is graded: that decode_step returns (out_new, cache) and the shape
    of out_new (one call from no cache, the cache argument left out: N = 1,
    S = 3, D = 8, 2 heads); out_new against the reference (two arrays agree
    when their shapes are equal and max|a - b| <= 1e-6 * max(max|a|,
    max|b|), or max|a - b| <= 1e-10 * s, with s the largest magnitude among
    the check's inputs, at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0) at every call of a run of calls, each
    given the cache the one before returned: N = 2, D = 12, 3 heads, x_new
    of 5, then 1, 2 and 1 positions. Edge cases, each a run checked at
    every call: a run starting with one token (1, 1, 2 and 1 positions; N =
    2, D = 12, 3 heads); num_heads = 1 (N = 1, D = 8; 3, 1 and 2
    positions); num_heads = D (N = 2, D = 6; 2, 1 and 3 positions); and
    num_heads not dividing D (D = 12, 5 heads) raises ValueError. Also that
    x_new and the weights are not modified, and that the same inputs give
    the same outputs (a run made twice from no cache). All inputs are
    float64; x_new and the weights are drawn anew for every run. Speed is
    shown beside the score but never counted in it: there, the time of a
    one-token step after a prompt of 16 and of 128 positions (N = 1, D =
    8, 2 heads), and how much it grew between them.
    """
    N, S, D = x_new.shape
    if D % num_heads:
        raise ValueError(f"num_heads = {num_heads} does not divide D = {D}")
    dh = D // num_heads

    def split(a):  # (N, S, D) -> (N, H, S, dh): head h is columns h*dh:(h+1)*dh
        return a.reshape(N, S, num_heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(x_new @ w_q), split(x_new @ w_k), split(x_new @ w_v)
    if cache is not None:  # earlier positions first, along the time axis (axis 2 of (N, H, T, dh))
        k = np.concatenate([cache["k"], k], axis=2)
        v = np.concatenate([cache["v"], v], axis=2)
    T = k.shape[2]

    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(dh)               # (N, H, S, T)
    allowed = np.arange(T) <= np.arange(S)[:, None] + (T - S)        # new row i is position T - S + i
    scores = np.where(allowed, scores, -np.inf)                      # every row allows its own key: no 0/0
    probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs /= probs.sum(axis=-1, keepdims=True)

    heads = (probs @ v).transpose(0, 2, 1, 3).reshape(N, S, D)       # back side by side, in head order
    return heads @ w_o, {"k": k, "v": v}
