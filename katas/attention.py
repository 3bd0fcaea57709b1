"""Kata attention: a causal mask and scaled dot-product attention, forward and backward.

Implement the functions below in numpy; each docstring is the whole
specification. causal_mask builds the mask a decoder uses; attention_forward
and attention_backward are the attention layer itself, with an optional
boolean mask. Then grade your work with

    python -m grader attention

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/attention.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def causal_mask(Tq, Tk=None):
    """Causal mask for attention, aligned bottom-right.

    The Tq queries are the LAST Tq positions of a sequence of Tk positions
    (a decoder with a key/value cache: the first Tk - Tq positions are
    already in the cache). Query i may attend to key j when key j is not
    later than query i's own position, Tk - Tq + i:

        mask[i, j] = (j <= i + (Tk - Tq))

    With Tk = Tq (Tk omitted, or given equal) this is the lower triangle,
    diagonal included. With Tq < Tk every query also sees the first
    Tk - Tq keys, and the last query sees every key (Tq = 1: one new
    token attends to the whole sequence). With Tq > Tk the first Tq - Tk
    queries see no key at all. This is the convention of FlashAttention
    and of decoding with a cache; PyTorch's is_causal=True aligns the
    triangle top-left instead (j <= i), which differs whenever Tq != Tk.

    Inputs:
    - Tq: the number of queries, an int >= 1
    - Tk: the number of keys, an int >= 1, or None for Tk = Tq

    Returns:
    - mask: a numpy array of booleans (dtype bool) of shape (Tq, Tk), True
      where query i may attend to key j; attention_forward takes it as its
      mask, broadcast over the batch

    What is graded: the shape of mask and that it is an array of booleans
    (dtype bool); its values against the reference (True counted as 1 and
    False as 0; two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs, at least 1:
    here that means equal) for Tq = 3, Tk = 5 and for Tq = Tk = 4; that the
    same arguments give the same mask, and that no argument is modified.
    Edge cases: Tk omitted (Tq = 5), Tq < Tk (Tq = 1, Tk = 6 and Tq = 2,
    Tk = 7) and Tq > Tk (Tq = 5, Tk = 3).
    """
    raise NotImplementedError("causal_mask: not started")


def attention_forward(q, k, v, mask=None):
    """Scaled dot-product attention, forward pass.

    Each of the N examples has Tq queries, Tk keys and Tk values. Every
    query takes an average of the values, weighted by how well it matches
    each key:

        scores = q @ k^T / sqrt(d)    (N, Tq, Tk); k^T is k with its last
                                      two axes swapped, d = q.shape[-1]
        probs  = the softmax of each query's scores over the keys (the
                 last axis), over its ALLOWED keys only: a masked key gets
                 probability exactly 0, the allowed ones sum to 1
        out    = probs @ v            (N, Tq, dv)

    The scale is 1/sqrt(d), d the size of the last axis of q and k (not d
    itself, not dv).

    mask is None (every query attends to every key) or an array of
    booleans broadcastable to (N, Tq, Tk) (numpy's rules), True where query
    i of example n may attend to key j: PyTorch's boolean attn_mask, not
    its key_padding_mask (where True means "leave out"). The usual shapes:
    (Tq, Tk), one mask for every example (causal_mask(Tq, Tk)); (N, 1, Tk),
    one row of allowed keys per example for all its queries (padding); and
    (N, Tq, Tk). Mask the scores before the softmax: zeroing probabilities
    after it leaves rows that no longer sum to 1.

    A query with no allowed key (its row of the mask all False) gets
    out = 0 and passes no gradient to q, k or v: no NaN, no warning (its
    softmax would be 0/0; treat it apart). Scores as large as +-1e4 (large
    q and k) give finite results without warnings: subtract each query's
    largest allowed score before exp. Tq and Tk may differ, and so may d
    and dv. Do not modify q, k, v or mask.

    Inputs:
    - q: queries, of shape (N, Tq, d)
    - k: keys, of shape (N, Tk, d)
    - v: values, of shape (N, Tk, dv)
    - mask: None, or booleans broadcastable to (N, Tq, Tk), True = attend

    Returns a tuple of:
    - out: the attention output, of shape (N, Tq, dv)
    - cache: whatever attention_backward needs; the grader only hands it
      back to attention_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) with no
    mask (N = 2, Tq = 4, Tk = 3, d = 5, dv = 2) and with a full (N, Tq, Tk)
    mask (N = 3, Tq = 2, Tk = 5, d = 4, dv = 3); that q, k, v and mask are
    not modified; that the same inputs give the same outputs. Edge cases,
    each checking out and the three gradients: a (Tq, Tk) causal mask
    broadcast over the batch (Tq = 3, Tk = 5); a (N, 1, Tk) padding mask;
    queries with no allowed key (out 0 and no gradient there, out finite
    and no warnings); scores of +-1e4 (out finite and no warnings; the
    gradients against the reference only). Tq != Tk and d != dv in every
    case; all inputs are float64. Speed is shown beside the score but never
    counted in it.
    """
    raise NotImplementedError("attention_forward: not started")


def attention_backward(dout, cache):
    """Scaled dot-product attention, backward pass.

    With probs as in the forward pass and dout of shape (N, Tq, dv):

        dv      = probs^T @ dout                     (N, Tk, dv)
        dprobs  = dout @ v^T                         (N, Tq, Tk)
        dscores = probs * (dprobs - sum over the keys of probs * dprobs)
                  (each query's softmax Jacobian applied to its row of
                  dprobs; 0 on masked keys and for a query with no allowed
                  key, where probs is 0)
        dq      = dscores @ k / sqrt(d)              (N, Tq, d)
        dk      = dscores^T @ q / sqrt(d)            (N, Tk, d)

    Backward may be called more than once with the same cache and must give
    the same gradients every time: return fresh arrays, and modify neither
    dout nor what the cache holds.

    Inputs:
    - dout: upstream derivatives, of shape (N, Tq, dv)
    - cache: whatever attention_forward returned

    Returns a tuple of:
    - dq: gradient with respect to q, of shape (N, Tq, d)
    - dk: gradient with respect to k, of shape (N, Tk, d)
    - dv: gradient with respect to v, of shape (N, Tk, dv)

    What is graded: the shapes of dq, dk and dv; each against the reference
    and against central-difference numerical gradients of attention_forward
    on float64 inputs (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0), with no mask and with a full (N, Tq, Tk) mask, and on
    one configuration for a second dout too; the same in the edge cases of
    attention_forward (a (Tq, Tk) causal mask, a (N, 1, Tk) padding mask,
    queries with no allowed key; at scores of +-1e4 against the reference
    only); that backward called twice with the same cache gives the same
    gradients (every backward returns fresh arrays); that dout is not
    modified; that the same inputs give the same outputs. Speed is shown
    beside the score but never counted in it.
    """
    raise NotImplementedError("attention_backward: not started")
