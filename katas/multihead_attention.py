"""Kata multihead_attention: multi-head self-attention, forward and backward.

Implement the functions below in numpy; each docstring is the whole
specification. The file is yours: write any helpers you need in it (it
must not import another kata). Then grade your work with

    python -m grader multihead_attention

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/multihead_attention.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


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
    raise NotImplementedError("mha_forward: not started")


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
    raise NotImplementedError("mha_backward: not started")
