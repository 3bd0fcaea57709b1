"""Reference solution for the swiglu kata: the SwiGLU feed-forward block of LLaMA, on x of shape (..., D)."""

import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))  # exp only of numbers <= 0: no overflow, whatever the sign of z
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def swiglu_forward(x, w_gate, w_up, w_down):
    """SwiGLU feed-forward block (the MLP of LLaMA), forward pass.

    x has any number of leading axes (a batch of rows (N, D), a batch of
    sequences (N, T, D), ...) and D features on its last axis. Every
    position is transformed on its own, with silu(z) = z * sigmoid(z):

        gate   = x @ w_gate              (..., H)
        up     = x @ w_up                (..., H)
        hidden = silu(gate) * up         (..., H), element by element
        out    = hidden @ w_down         (..., D)

    silu goes on the gate projection (x @ w_gate) only, never on up, and it
    is z * sigmoid(z), not sigmoid(z) alone (that would be the original
    GLU). Weights multiply on the right (x @ w), as in the linear kata; there
    are no biases. This holds for N = 1 and for H = 1. Do not modify x,
    w_gate, w_up or w_down.

    Inputs:
    - x: Input data, of shape (..., D), e.g. (N, D) or (N, T, D)
    - w_gate: Gate projection, of shape (D, H)
    - w_up: Up projection, of shape (D, H)
    - w_down: Down projection, of shape (H, D)

    Returns a tuple of:
    - out: Output data, of shape (..., D), the shape of x
    - cache: Whatever swiglu_backward needs; the grader only hands it
      back to swiglu_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) for x of
    2 and 3 dimensions; that x, w_gate, w_up and w_down are not modified;
    that the same inputs give the same outputs. Edge cases: N = 1 (with a
    3-D x) and H = 1. D != H in every case, so a transposed weight shows
    as a wrong shape. All inputs are float64. Speed is shown beside the
    score but never counted in it.
    """
    gate = x @ w_gate
    up = x @ w_up
    s = _sigmoid(gate)
    hidden = gate * s * up  # silu(gate) * up
    out = hidden @ w_down
    return out, (x, w_gate, w_up, w_down, gate, up, s, hidden)


def swiglu_backward(dout, cache):
    """SwiGLU feed-forward block, backward pass.

    With gate, up and hidden as in the forward pass, s = sigmoid(gate), and
    silu'(gate) = s * (1 + gate * (1 - s)) (the product rule on
    gate * sigmoid(gate): sigmoid alone is not the derivative):

        dhidden = dout @ w_down.T
        dgate   = dhidden * up * silu'(gate)
        dup     = dhidden * silu(gate)
        dx      = dgate @ w_gate.T + dup @ w_up.T   (x feeds both
                  projections: the two paths add up)
        dw_gate = x_flat.T @ dgate_flat
        dw_up   = x_flat.T @ dup_flat
        dw_down = hidden_flat.T @ dout_flat

    where _flat is the array reshaped to (-1, its last axis): the weights
    are shared by every position, so their gradients sum over EVERY leading
    axis of x (over N and T for a 3-D x, not over axis 0 only).

    Inputs:
    - dout: Upstream derivatives, of shape (..., D), the shape of out
    - cache: Whatever swiglu_forward returned

    Returns a tuple of:
    - dx: Gradient with respect to x, of shape (..., D), the shape of x
    - dw_gate: Gradient with respect to w_gate, of shape (D, H)
    - dw_up: Gradient with respect to w_up, of shape (D, H)
    - dw_down: Gradient with respect to w_down, of shape (H, D)

    Every gradient is a fresh array: the grader calls swiglu_backward twice
    with the same cache and expects the same gradients both times, so do not
    modify the cache (nor dout) in place.

    What is graded: the shapes of dx, dw_gate, dw_up and dw_down; all four
    against the reference and against central-difference numerical
    gradients of swiglu_forward on float64 inputs (two arrays agree when
    their shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0), for x of 2 and 3 dimensions;
    that dout is not modified; that the same inputs give the same outputs,
    and that a second call of swiglu_backward with the same cache gives the
    same gradients. Edge cases: N = 1 (with a 3-D x) and H = 1. Speed is
    shown beside the score but never counted in it.
    """
    x, w_gate, w_up, w_down, gate, up, s, hidden = cache
    D, H = w_gate.shape
    dhidden = dout @ w_down.T
    dup = dhidden * gate * s  # the other factor of the product: silu(gate)
    dgate = dhidden * up * s * (1 + gate * (1 - s))  # silu' = s + gate * s * (1 - s), product rule
    dx = dgate @ w_gate.T + dup @ w_up.T  # x feeds the gate and up: both paths add
    # Every position uses the same weights: flatten all leading axes and sum over them in one product.
    x_flat = x.reshape(-1, D)
    dw_gate = x_flat.T @ dgate.reshape(-1, H)
    dw_up = x_flat.T @ dup.reshape(-1, H)
    dw_down = hidden.reshape(-1, H).T @ dout.reshape(-1, D)
    return dx, dw_gate, dw_up, dw_down
