"""Reference solution for the rnn kata: a vanilla tanh RNN, one step and a whole sequence, forward and backward."""

import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One time step of a vanilla (tanh) RNN, forward pass.

        next_h = tanh(x @ Wx + prev_h @ Wh + b)

    Weights multiply on the right, as everywhere in this repository: Wx is
    (D, H) and Wh is (H, H), the transposes of PyTorch's nn.RNN weight_ih
    (H, D) and weight_hh (H, H). There is one bias b; PyTorch's two biases
    (bias_ih + bias_hh) add up to it. Do not modify any input.

    Inputs:
    - x: input at this step, of shape (N, D)
    - prev_h: hidden state of the previous step, of shape (N, H)
    - Wx: input-to-hidden weights, of shape (D, H)
    - Wh: hidden-to-hidden weights, of shape (H, H)
    - b: bias, of shape (H,)

    Returns a tuple of:
    - next_h: the next hidden state, of shape (N, H)
    - cache: whatever rnn_step_backward needs; the grader only hands it
      back to rnn_step_backward

    What is graded: the shape of next_h; its values against the reference
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) on two
    configurations; that x, prev_h, Wx, Wh and b are not modified; that the
    same inputs give the same outputs. Edge cases: N = 1, and D = H (a
    square Wx, where a transposed Wx would still fit). All inputs are
    float64.
    """
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    # Cache the output, not the pre-activation: tanh' = 1 - tanh**2 is cheapest (and exact) from next_h.
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache):
    """One time step of a vanilla (tanh) RNN, backward pass.

    With a = x @ Wx + prev_h @ Wh + b and next_h = tanh(a):

        da      = dnext_h * (1 - next_h**2)    (tanh' from the OUTPUT)
        dx      = da @ Wx.T
        dprev_h = da @ Wh.T
        dWx     = x.T @ da
        dWh     = prev_h.T @ da
        db      = da summed over the batch

    Backward may be called more than once with the same cache and must give
    the same gradients every time: return fresh arrays, and modify neither
    dnext_h nor what the cache holds.

    Inputs:
    - dnext_h: upstream derivatives of next_h, of shape (N, H)
    - cache: whatever rnn_step_forward returned

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, D)
    - dprev_h: gradient with respect to prev_h, of shape (N, H)
    - dWx: gradient with respect to Wx, of shape (D, H)
    - dWh: gradient with respect to Wh, of shape (H, H)
    - db: gradient with respect to b, of shape (H,)

    What is graded: the shapes of the five gradients; each against the
    reference and against central-difference numerical gradients of
    rnn_step_forward on float64 inputs (two arrays agree when their shapes
    are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), on two configurations and on one of them
    for a second dnext_h too; the same in the edge cases of
    rnn_step_forward (N = 1, D = H); that backward called twice with the
    same cache gives the same gradients (every backward returns fresh
    arrays); that dnext_h is not modified; that the same inputs give the
    same outputs.
    """
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1.0 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    """A vanilla (tanh) RNN over a whole sequence, forward pass.

    Starting from h_{-1} = h0, for t = 0, ..., T-1:

        h[:, t] = tanh(x[:, t] @ Wx + h[:, t-1] @ Wh + b)

    the step of rnn_step_forward, with the same Wx, Wh and b at every step.
    Batch first, as PyTorch's nn.RNN(batch_first=True): x is (N, T, D).
    Weights multiply on the right (Wx (D, H), Wh (H, H): the transposes of
    PyTorch's weight_ih and weight_hh), and there is one bias b. h0 is an
    input with a gradient, not a constant. Do not modify any input.

    Inputs:
    - x: the input sequence, of shape (N, T, D)
    - h0: the initial hidden state, of shape (N, H)
    - Wx: input-to-hidden weights, of shape (D, H)
    - Wh: hidden-to-hidden weights, of shape (H, H)
    - b: bias, of shape (H,)

    Returns a tuple of:
    - h: the hidden states of every step, of shape (N, T, H) (h0 not
      included)
    - cache: whatever rnn_backward needs; the grader only hands it back to
      rnn_backward

    What is graded: the shape of h; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) on two
    configurations; that x, h0, Wx, Wh and b are not modified; that the same
    inputs give the same outputs. Edge cases: T = 1 (one step), N = 1, and
    D = H (a square Wx). All inputs are float64. Speed (rnn_forward +
    rnn_backward) is shown beside the score but never counted in it.
    """
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]))
    caches, prev_h = [], h0
    for t in range(T):  # the recurrence is sequential: one step at a time
        prev_h, step_cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)
        h[:, t] = prev_h
        caches.append(step_cache)
    return h, caches


def rnn_backward(dh, cache):
    """A vanilla (tanh) RNN over a whole sequence, backward pass
    (backpropagation through time).

    dh[:, t] is the gradient of the loss with respect to h[:, t] from above
    (a loss on every step's hidden state). But h[:, t] also feeds step t+1,
    so the gradient that reaches step t is dh[:, t] plus the dprev_h that
    step t+1's backward returns. Go backwards, t = T-1, ..., 0:

        dx[:, t], dprev, dWx_t, dWh_t, db_t
            = rnn_step_backward(dh[:, t] + dprev, step t's cache)

    starting from dprev = 0; the weights are shared by every step, so dWx,
    dWh and db are the SUMS over t of the steps' gradients, and dh0 is the
    dprev left after step 0. Backward may be called more than once with the
    same cache and must give the same gradients every time: return fresh
    arrays, and modify neither dh nor what the cache holds.

    Inputs:
    - dh: upstream derivatives of every hidden state, of shape (N, T, H)
    - cache: whatever rnn_forward returned

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, T, D)
    - dh0: gradient with respect to h0, of shape (N, H)
    - dWx: gradient with respect to Wx, of shape (D, H)
    - dWh: gradient with respect to Wh, of shape (H, H)
    - db: gradient with respect to b, of shape (H,)

    What is graded: the shapes of the five gradients; each against the
    reference and against central-difference numerical gradients of
    rnn_forward on float64 inputs (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), on two configurations and on one of them
    for a second dh too; the same in the edge cases of rnn_forward (T = 1,
    N = 1, D = H); that backward called twice with the same cache gives the
    same gradients (every backward returns fresh arrays); that dh is not
    modified; that the same inputs give the same outputs. Speed (rnn_forward
    + rnn_backward) is shown beside the score but never counted in it.
    """
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.empty((N, T, D))
    dWx, dWh, db = np.zeros((D, H)), np.zeros((H, H)), np.zeros(H)
    dprev = np.zeros((N, H))  # nothing flows back into the last step from the future
    for t in reversed(range(T)):
        # h[:, t] is read by the loss (dh[:, t]) and by step t+1 (dprev): both paths add up.
        dx[:, t], dprev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dprev, cache[t])
        dWx += dWx_t  # shared weights: every step's contribution counts
        dWh += dWh_t
        db += db_t
    return dx, dprev, dWx, dWh, db
