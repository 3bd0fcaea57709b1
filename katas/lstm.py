"""Kata lstm: an LSTM, one step (a cell) and a whole sequence,
forward and backward (PyTorch's gate order i, f, g, o).

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader lstm

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/lstm.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One time step of an LSTM, forward pass.

    The pre-activations of the four gates, side by side along axis 1, in
    PyTorch's nn.LSTM gate order i, f, g, o (input, forget, cell, output;
    CS231n's assignment uses i, f, o, g: not here):

        a = x @ Wx + prev_h @ Wh + b                  (N, 4H)
        i = sigmoid(a[:, 0:H])       f = sigmoid(a[:, H:2H])
        g = tanh(a[:, 2H:3H])        o = sigmoid(a[:, 3H:4H])
        next_c = f * prev_c + i * g
        next_h = o * tanh(next_c)

    Weights multiply on the right, as everywhere in this repository: Wx is
    (D, 4H) and Wh is (H, 4H), the transposes of PyTorch's weight_ih (4H, D)
    and weight_hh (4H, H). There is one bias b; PyTorch's two biases
    (bias_ih + bias_hh) add up to it. Do not modify any input.

    Inputs:
    - x: input at this step, of shape (N, D)
    - prev_h: hidden state of the previous step, of shape (N, H)
    - prev_c: cell state of the previous step, of shape (N, H)
    - Wx: input-to-gates weights, of shape (D, 4H)
    - Wh: hidden-to-gates weights, of shape (H, 4H)
    - b: bias, of shape (4H,)

    Returns a tuple of:
    - next_h: the next hidden state, of shape (N, H)
    - next_c: the next cell state, of shape (N, H)
    - cache: whatever lstm_step_backward needs; the grader only hands it
      back to lstm_step_backward

    What is graded: the shapes of next_h and next_c; their values against
    the reference (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0; dout here is both upstream gradients, dnext_h and
    dnext_c) on two configurations; that x, prev_h, prev_c, Wx, Wh and b
    are not modified; that the same inputs give the same outputs. Edge
    cases: N = 1, and H = 1 (one unit: four gates of one column each). All
    inputs are float64.
    """
    raise NotImplementedError("lstm_step_forward: not started")


def lstm_step_backward(dnext_h, dnext_c, cache):
    """One time step of an LSTM, backward pass.

    next_c reaches the loss two ways: directly (dnext_c, from the next step
    or the loss) and through next_h = o * tanh(next_c). Both add up:

        dc      = dnext_c + dnext_h * o * (1 - tanh(next_c)**2)
        do      = dnext_h * tanh(next_c)
        di, df, dg = dc * g, dc * prev_c, dc * i
        dprev_c = dc * f
        da      = [di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2),
                   do * o * (1 - o)]    side by side, (N, 4H), order i, f, g, o
        dx      = da @ Wx.T       dprev_h = da @ Wh.T
        dWx     = x.T @ da        dWh = prev_h.T @ da
        db      = da summed over the batch

    Backward may be called more than once with the same cache and must give
    the same gradients every time: return fresh arrays, and modify neither
    dnext_h, dnext_c nor what the cache holds.

    Inputs:
    - dnext_h: upstream derivatives of next_h, of shape (N, H)
    - dnext_c: upstream derivatives of next_c, of shape (N, H)
    - cache: whatever lstm_step_forward returned

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, D)
    - dprev_h: gradient with respect to prev_h, of shape (N, H)
    - dprev_c: gradient with respect to prev_c, of shape (N, H)
    - dWx: gradient with respect to Wx, of shape (D, 4H)
    - dWh: gradient with respect to Wh, of shape (H, 4H)
    - db: gradient with respect to b, of shape (4H,)

    What is graded: the shapes of the six gradients; each against the
    reference and against central-difference numerical gradients of
    sum(next_h * dnext_h + next_c * dnext_c) through lstm_step_forward on
    float64 inputs (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0; dout here is dnext_h and dnext_c), on two configurations
    and on one of them for a second pair of upstream gradients too; the
    same in the edge cases of lstm_step_forward (N = 1, H = 1); that
    backward called twice with the same cache gives the same gradients
    (every backward returns fresh arrays); that dnext_h and dnext_c are not
    modified; that the same inputs give the same outputs.
    """
    raise NotImplementedError("lstm_step_backward: not started")


def lstm_forward(x, h0, Wx, Wh, b):
    """An LSTM over a whole sequence, forward pass.

    The cell state starts at zero (c_{-1} = 0, as PyTorch's nn.LSTM without
    an initial state) and the hidden state at h0; for t = 0, ..., T-1, the
    step of lstm_step_forward, with the same Wx, Wh and b at every step:

        h[:, t], c_t = lstm_step_forward(x[:, t], h[:, t-1], c_{t-1}, ...)

    Batch first, as PyTorch's nn.LSTM(batch_first=True): x is (N, T, D).
    Gate order i, f, g, o; weights on the right (Wx (D, 4H), Wh (H, 4H): the
    transposes of PyTorch's); one bias b. Only the hidden states are
    returned. Do not modify any input.

    Inputs:
    - x: the input sequence, of shape (N, T, D)
    - h0: the initial hidden state, of shape (N, H)
    - Wx: input-to-gates weights, of shape (D, 4H)
    - Wh: hidden-to-gates weights, of shape (H, 4H)
    - b: bias, of shape (4H,)

    Returns a tuple of:
    - h: the hidden states of every step, of shape (N, T, H) (h0 not
      included)
    - cache: whatever lstm_backward needs; the grader only hands it back to
      lstm_backward

    What is graded: the shape of h; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) on two
    configurations; that x, h0, Wx, Wh and b are not modified; that the same
    inputs give the same outputs. Edge cases: T = 1 (one step), N = 1. All
    inputs are float64. Speed (lstm_forward + lstm_backward) is shown beside
    the score but never counted in it.
    """
    raise NotImplementedError("lstm_forward: not started")


def lstm_backward(dh, cache):
    """An LSTM over a whole sequence, backward pass (backpropagation
    through time).

    Go backwards, t = T-1, ..., 0, from dprev_h = dprev_c = 0:

        dx[:, t], dprev_h, dprev_c, dWx_t, dWh_t, db_t
            = lstm_step_backward(dh[:, t] + dprev_h, dprev_c, step t's cache)

    h[:, t] feeds the loss (dh[:, t]) and step t+1 (dprev_h); the cell state
    feeds only the next step, so its gradient is the carried dprev_c alone.
    The weights are shared by every step: dWx, dWh and db are the SUMS over
    t. dh0 is the dprev_h left after step 0. c0 is a constant zero, not an
    input: there is no dc0 to return. Backward may be called more than once
    with the same cache and must give the same gradients every time: return
    fresh arrays, and modify neither dh nor what the cache holds.

    Inputs:
    - dh: upstream derivatives of every hidden state, of shape (N, T, H)
    - cache: whatever lstm_forward returned

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, T, D)
    - dh0: gradient with respect to h0, of shape (N, H)
    - dWx: gradient with respect to Wx, of shape (D, 4H)
    - dWh: gradient with respect to Wh, of shape (H, 4H)
    - db: gradient with respect to b, of shape (4H,)

    What is graded: the shapes of the five gradients; each against the
    reference and against central-difference numerical gradients of
    lstm_forward on float64 inputs (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), on two configurations and on one of them
    for a second dh too; the same in the edge cases of lstm_forward (T = 1,
    N = 1); that backward called twice with the same cache gives the same
    gradients (every backward returns fresh arrays); that dh is not
    modified; that the same inputs give the same outputs. Speed
    (lstm_forward + lstm_backward) is shown beside the score but never
    counted in it.
    """
    raise NotImplementedError("lstm_backward: not started")
