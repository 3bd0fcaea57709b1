"""Reference solution for the attention kata: a causal mask and scaled dot-product attention."""

import numpy as np


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
    Tk = Tq if Tk is None else Tk
    # Query i sits at position i + (Tk - Tq) of the sequence: it sees every key up to there.
    return np.arange(Tk)[None, :] <= np.arange(Tq)[:, None] + (Tk - Tq)


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
    d = q.shape[-1]
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(d)  # (N, Tq, Tk)
    if mask is not None:
        # -inf before the softmax: exp(-inf) = 0 exactly, so masked keys drop out of the sum.
        scores = np.where(np.broadcast_to(mask, scores.shape), scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)  # a query with no allowed key: shift by 0, not -inf (no inf - inf)
    e = np.exp(scores - top)  # every exponent <= 0: no overflow at scores of 1e4
    total = e.sum(axis=-1, keepdims=True)
    probs = e / np.where(total > 0, total, 1.0)  # no allowed key: 0/1 = 0, so out = 0 and no gradient
    return probs @ v, (q, k, v, probs)


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
    q, k, v, probs = cache
    scale = 1 / np.sqrt(q.shape[-1])
    dv = probs.swapaxes(-1, -2) @ dout
    dprobs = dout @ v.swapaxes(-1, -2)
    # softmax backward, row by row: J = diag(p) - p p^T, so dscores = p * (dprobs - <p, dprobs>)
    dscores = probs * (dprobs - (probs * dprobs).sum(axis=-1, keepdims=True))
    dq = dscores @ k * scale
    dk = dscores.swapaxes(-1, -2) @ q * scale
    return dq, dk, dv
