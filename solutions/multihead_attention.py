"""Reference solution for the multihead_attention kata: multi-head self-attention, forward and backward."""

import numpy as np


def _split_heads(a, num_heads):
    """(N, T, D) -> (N, num_heads, T, dh): head h takes the columns h*dh:(h+1)*dh of every position."""
    N, T, D = a.shape
    # Reshape the feature axis into (heads, dh) first, then move heads before T: a reshape alone to
    # (N, num_heads, T, dh) would cut the flattened (T, D) block into pieces that mix positions and heads.
    return a.reshape(N, T, num_heads, D // num_heads).transpose(0, 2, 1, 3)


def _merge_heads(a):
    """(N, num_heads, T, dh) -> (N, T, D): the inverse of _split_heads, the heads side by side in head order."""
    N, H, T, dh = a.shape
    return a.transpose(0, 2, 1, 3).reshape(N, T, H * dh)


def _attention(q, k, v, allowed):
    """Masked scaled dot-product attention over the last two axes: (out, probs). `allowed` broadcasts to the
    scores; a query with no allowed key gets probabilities 0, hence out 0 and no gradient."""
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(q.shape[-1])  # the head size dh, not D
    scores = np.where(allowed, scores, -np.inf)
    top = scores.max(axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)  # a row with no allowed key: shift by 0, not -inf (no inf - inf)
    e = np.exp(scores - top)  # every exponent <= 0: no overflow at scores of 1e4
    total = e.sum(axis=-1, keepdims=True)
    probs = e / np.where(total > 0, total, 1.0)
    return probs @ v, probs


def _attention_backward(dout, q, k, v, probs):
    """(dq, dk, dv) of _attention, given its probs."""
    scale = 1 / np.sqrt(q.shape[-1])
    dprobs = dout @ v.swapaxes(-1, -2)
    dscores = probs * (dprobs - (probs * dprobs).sum(axis=-1, keepdims=True))  # the softmax's Jacobian, row by row
    return dscores @ k * scale, dscores.swapaxes(-1, -2) @ q * scale, probs.swapaxes(-1, -2) @ dout


def mha_forward(x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    """Multi-head self-attention, forward pass.

    x holds N sequences of T positions, each a vector of D numbers. Every
    position is projected to a query, a key and a value (no biases):

        q = x @ w_q,  k = x @ w_k,  v = x @ w_v      each (N, T, D)

    The D columns are split into num_heads heads of dh = D // num_heads
    columns: head h takes the columns h*dh:(h+1)*dh of q, k and v. Each
    head is scaled dot-product attention over its own columns, all heads
    sharing the mask:

        scores_h = q_h @ k_h^T / sqrt(dh)   (N, T, T); k_h^T is k_h with
                                            its last two axes swapped; the
                                            scale is 1/sqrt(dh), the head
                                            size, not 1/sqrt(D)
        probs_h  = the softmax of each query's scores over its ALLOWED
                   keys (the last axis): a masked key gets probability
                   exactly 0, the allowed ones sum to 1
        heads_h  = probs_h @ v_h            (N, T, dh)

    The heads' outputs are put back side by side in head order (head h in
    the columns h*dh:(h+1)*dh of heads, (N, T, D)), and

        out = heads @ w_o                   (N, T, D)

    Splitting (N, T, D) into heads is a reshape to (N, T, num_heads, dh)
    then a transpose to (N, num_heads, T, dh); putting them back is the
    reverse. A reshape straight to (N, num_heads, T, dh) mixes positions
    with heads.

    mask is None (every position attends to every position) or an array of
    booleans broadcastable to (N, T, T) (numpy's rules), True where query i
    of example n may attend to key j, the same for every head: PyTorch's
    boolean attn_mask, not its key_padding_mask (where True means "leave
    out"). The usual shapes: (T, T), one mask for every example (causal:
    j <= i); (N, 1, T), one row of allowed keys per example for all its
    queries (padding); and (N, T, T). Mask the scores before the softmax.

    A query with no allowed key (its row of the mask all False) gets 0 in
    every head, so its row of out is 0, and it passes no gradient: no NaN,
    no warning (its softmax would be 0/0; treat it apart). Scores as large
    as +-1e4 (large x or weights) give finite results without warnings:
    subtract each query's largest allowed score before exp. num_heads = 1
    (one head of all D columns) and num_heads = D (heads of one column,
    dh = 1) are allowed; num_heads not dividing D raises ValueError. Do
    not modify x, the weights or mask.

    Inputs:
    - x: input sequences, of shape (N, T, D)
    - w_q, w_k, w_v: query, key and value projections, each of shape (D, D)
    - w_o: output projection, of shape (D, D)
    - num_heads: the number of heads, an int >= 1 that divides D
    - mask: None, or booleans broadcastable to (N, T, T), True = attend

    Returns a tuple of:
    - out: the layer's output, of shape (N, T, D)
    - cache: whatever mha_backward needs; the grader only hands it back to
      mha_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) with no
    mask (N = 2, T = 3, D = 4, 2 heads) and with a full (N, T, T) mask
    (N = 2, T = 4, D = 6, 3 heads); that x, the weights and mask are not
    modified; that the same inputs give the same outputs. Edge cases, each
    checking out and the five gradients: one head (num_heads = 1, D = 3);
    heads of one column (num_heads = D = 3, dh = 1); a (T, T) causal mask
    broadcast over the batch; a (N, 1, T) padding mask; queries with no
    allowed key (out 0 there and no gradient, out finite and no warnings);
    scores of +-1e4 (out finite and no warnings; the gradients against the
    reference only); one example (N = 1); one position (T = 1). And
    num_heads = 4 with D = 6 must raise ValueError. All inputs are float64.
    Speed is shown beside the score but never counted in it.
    """
    N, T, D = x.shape
    if D % num_heads:
        raise ValueError(f"num_heads = {num_heads} does not divide D = {D}")
    # One mask for every head: a head axis of 1, after the batch axis.
    allowed = True if mask is None else np.broadcast_to(mask, (N, T, T))[:, None]
    q, k, v = (_split_heads(x @ w, num_heads) for w in (w_q, w_k, w_v))  # each (N, H, T, dh)
    heads, probs = _attention(q, k, v, allowed)
    merged = _merge_heads(heads)  # (N, T, D)
    return merged @ w_o, (x, w_q, w_k, w_v, w_o, q, k, v, probs, merged)


def mha_backward(dout, cache):
    """Multi-head self-attention, backward pass.

    Back through the forward's steps in reverse, with heads, probs_h, q_h,
    k_h and v_h as in the forward pass and dout of shape (N, T, D):

        dw_o     = heads^T @ dout, summed over examples and positions (D, D)
        dheads   = dout @ w_o^T, split into heads as q is   (N, H, T, dh)
        then in every head, attention's backward:
          dv_h      = probs_h^T @ dheads_h
          dprobs_h  = dheads_h @ v_h^T
          dscores_h = probs_h * (dprobs_h - sum over the keys of
                      probs_h * dprobs_h)
                      (0 on masked keys and for a query with no allowed
                      key, where probs_h is 0)
          dq_h      = dscores_h @ k_h / sqrt(dh)
          dk_h      = dscores_h^T @ q_h / sqrt(dh)
        dq, dk, dv = the heads' gradients put back side by side (N, T, D)
        dw_q     = x^T @ dq, summed over examples and positions (likewise
                   dw_k from dk and dw_v from dv)
        dx       = dq @ w_q^T + dk @ w_k^T + dv @ w_v^T

    x feeds the queries, the keys and the values: dx is the sum of all
    three paths.

    Backward may be called more than once with the same cache and must give
    the same gradients every time: return fresh arrays, and modify neither
    dout nor what the cache holds.

    Inputs:
    - dout: upstream derivatives, of shape (N, T, D)
    - cache: whatever mha_forward returned

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, T, D)
    - dw_q, dw_k, dw_v: gradients with respect to w_q, w_k, w_v, each (D, D)
    - dw_o: gradient with respect to w_o, of shape (D, D)

    What is graded: the shapes of dx, dw_q, dw_k, dw_v and dw_o; each
    against the reference and against central-difference numerical
    gradients of mha_forward on float64 inputs (two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0), with no mask and with a full
    (N, T, T) mask, and on one configuration for a second dout too; the
    same in the edge cases of mha_forward (one head, heads of one column,
    a (T, T) causal mask, a (N, 1, T) padding mask, queries with no allowed
    key, N = 1 and T = 1; at scores of +-1e4 against the reference only);
    that backward called twice with the same cache gives the same gradients
    (every backward returns fresh arrays); that dout is not modified; that
    the same inputs give the same outputs. Speed is shown beside the score
    but never counted in it.
    """
    x, w_q, w_k, w_v, w_o, q, k, v, probs, merged = cache
    D = x.shape[-1]
    x_flat = x.reshape(-1, D)  # every (example, position) is a row: the weights' gradients sum over both
    dw_o = merged.reshape(-1, D).T @ dout.reshape(-1, D)
    dq, dk, dv = _attention_backward(_split_heads(dout @ w_o.T, q.shape[1]), q, k, v, probs)
    dx, dws = np.zeros_like(x), []
    for d, w in ((dq, w_q), (dk, w_k), (dv, w_v)):
        d = _merge_heads(d)
        dx += d @ w.T  # x feeds q, k and v: its gradient adds up the three paths
        dws.append(x_flat.T @ d.reshape(-1, D))
    return (dx, *dws, dw_o)
