"""Reference solution for the gru kata: a GRU (PyTorch's equations), one step and a whole sequence, forward and
backward."""

import numpy as np


def _sigmoid(z):
    # The same function as 1 / (1 + exp(-z)), without ever taking exp of a large number.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    """One time step of a GRU, forward pass, with PyTorch's nn.GRU equations.

    The gates' blocks lie side by side along axis 1 in PyTorch's order
    r, z, n (reset, update, new), H columns each; with [k] the k-th block:

        r = sigmoid(x @ Wx[r] + bx[r] + prev_h @ Wh[r] + bh[r])
        z = sigmoid(x @ Wx[z] + bx[z] + prev_h @ Wh[z] + bh[z])
        n = tanh(x @ Wx[n] + bx[n] + r * (prev_h @ Wh[n] + bh[n]))
        next_h = (1 - z) * n + z * prev_h

    Two biases, as PyTorch's: r multiplies the hidden side of n WITH its
    bias bh[n] (so bx and bh do not merge into one), and z is the weight of
    the OLD state (z = 1 keeps prev_h). Weights multiply on the right, as
    everywhere in this repository: Wx is (D, 3H) and Wh is (H, 3H), the
    transposes of PyTorch's weight_ih (3H, D) and weight_hh (3H, H); bx is
    its bias_ih and bh its bias_hh. Do not modify any input.

    Inputs:
    - x: input at this step, of shape (N, D)
    - prev_h: hidden state of the previous step, of shape (N, H)
    - Wx: input-to-gates weights, of shape (D, 3H)
    - Wh: hidden-to-gates weights, of shape (H, 3H)
    - bx: input-side bias, of shape (3H,)
    - bh: hidden-side bias, of shape (3H,)

    Returns a tuple of:
    - next_h: the next hidden state, of shape (N, H)
    - cache: whatever gru_step_backward needs; the grader only hands it
      back to gru_step_backward

    What is graded: the shape of next_h; its values against the reference
    (two arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) on two
    configurations; that x, prev_h, Wx, Wh, bx and bh are not modified; that
    the same inputs give the same outputs. Edge cases: N = 1, and H = 1 (one
    unit: three gates of one column each). All inputs are float64.
    """
    H = prev_h.shape[1]
    ax = x @ Wx + bx         # the input side of all three gates, (N, 3H)
    ah = prev_h @ Wh + bh    # the hidden side, bias included, (N, 3H)
    rz = _sigmoid(ax[:, :2 * H] + ah[:, :2 * H])  # r and z at once: both add their two sides
    r, z = rz[:, :H], rz[:, H:]
    hn = ah[:, 2 * H:]       # prev_h @ Wh[n] + bh[n]: what r gates
    n = np.tanh(ax[:, 2 * H:] + r * hn)
    next_h = (1.0 - z) * n + z * prev_h
    return next_h, (x, prev_h, Wx, Wh, r, z, n, hn)


def gru_step_backward(dnext_h, cache):
    """One time step of a GRU, backward pass.

    With r, z, n as in the forward pass and hn = prev_h @ Wh[n] + bh[n]:

        dn  = dnext_h * (1 - z)         dz = dnext_h * (prev_h - n)
        dan = dn * (1 - n**2)           (n's pre-activation)
        dar = dan * hn * r * (1 - r)    daz = dz * z * (1 - z)
        dax = [dar, daz, dan]           (the input side, (N, 3H))
        dah = [dar, daz, dan * r]       (the hidden side: r gates hn)
        dx  = dax @ Wx.T                dprev_h = dnext_h * z + dah @ Wh.T
        dWx = x.T @ dax                 dWh = prev_h.T @ dah
        dbx = dax summed over the batch dbh = dah summed over the batch

    prev_h reaches next_h directly (z * prev_h) and through every gate: its
    gradient sums both. dbx and dbh agree on r's and z's blocks, not on n's.
    Backward may be called more than once with the same cache and must give
    the same gradients every time: return fresh arrays, and modify neither
    dnext_h nor what the cache holds.

    Inputs:
    - dnext_h: upstream derivatives of next_h, of shape (N, H)
    - cache: whatever gru_step_forward returned

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, D)
    - dprev_h: gradient with respect to prev_h, of shape (N, H)
    - dWx: gradient with respect to Wx, of shape (D, 3H)
    - dWh: gradient with respect to Wh, of shape (H, 3H)
    - dbx: gradient with respect to bx, of shape (3H,)
    - dbh: gradient with respect to bh, of shape (3H,)

    What is graded: the shapes of the six gradients; each against the
    reference and against central-difference numerical gradients of
    gru_step_forward on float64 inputs (two arrays agree when their shapes
    are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), on two configurations and on one of them
    for a second dnext_h too; the same in the edge cases of
    gru_step_forward (N = 1, H = 1); that backward called twice with the
    same cache gives the same gradients (every backward returns fresh
    arrays); that dnext_h is not modified; that the same inputs give the
    same outputs.
    """
    x, prev_h, Wx, Wh, r, z, n, hn = cache
    dz = dnext_h * (prev_h - n)
    dan = dnext_h * (1.0 - z) * (1.0 - n ** 2)
    dar = dan * hn * r * (1.0 - r)
    daz = dz * z * (1.0 - z)
    dax = np.concatenate([dar, daz, dan], axis=1)
    dah = np.concatenate([dar, daz, dan * r], axis=1)  # the hidden side of n is gated by r
    dprev_h = dnext_h * z + dah @ Wh.T                  # the direct path, and through the gates
    return dax @ Wx.T, dprev_h, x.T @ dax, prev_h.T @ dah, dax.sum(axis=0), dah.sum(axis=0)


def gru_forward(x, h0, Wx, Wh, bx, bh):
    """A GRU over a whole sequence, forward pass.

    Starting from h_{-1} = h0, for t = 0, ..., T-1, the step of
    gru_step_forward with the same Wx, Wh, bx and bh at every step:

        h[:, t] = gru_step_forward(x[:, t], h[:, t-1], Wx, Wh, bx, bh)

    Batch first, as PyTorch's nn.GRU(batch_first=True): x is (N, T, D).
    Gate order r, z, n; weights on the right (Wx (D, 3H), Wh (H, 3H): the
    transposes of PyTorch's); bx and bh are PyTorch's bias_ih and bias_hh.
    Do not modify any input.

    Inputs:
    - x: the input sequence, of shape (N, T, D)
    - h0: the initial hidden state, of shape (N, H)
    - Wx: input-to-gates weights, of shape (D, 3H)
    - Wh: hidden-to-gates weights, of shape (H, 3H)
    - bx: input-side bias, of shape (3H,)
    - bh: hidden-side bias, of shape (3H,)

    Returns a tuple of:
    - h: the hidden states of every step, of shape (N, T, H) (h0 not
      included)
    - cache: whatever gru_backward needs; the grader only hands it back to
      gru_backward

    What is graded: the shape of h; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) on two
    configurations; that x, h0, Wx, Wh, bx and bh are not modified; that the
    same inputs give the same outputs. Edge cases: T = 1 (one step), N = 1.
    All inputs are float64. Speed (gru_forward + gru_backward) is shown
    beside the score but never counted in it.
    """
    N, T, _ = x.shape
    h = np.empty((N, T, h0.shape[1]))
    caches, prev_h = [], h0
    for t in range(T):
        prev_h, step_cache = gru_step_forward(x[:, t], prev_h, Wx, Wh, bx, bh)
        h[:, t] = prev_h
        caches.append(step_cache)
    return h, caches


def gru_backward(dh, cache):
    """A GRU over a whole sequence, backward pass (backpropagation through
    time).

    Go backwards, t = T-1, ..., 0, from dprev_h = 0:

        dx[:, t], dprev_h, dWx_t, dWh_t, dbx_t, dbh_t
            = gru_step_backward(dh[:, t] + dprev_h, step t's cache)

    h[:, t] feeds the loss (dh[:, t]) and step t+1 (dprev_h): both add up.
    The weights and biases are shared by every step: their gradients are
    the SUMS over t. dh0 is the dprev_h left after step 0. Backward may be
    called more than once with the same cache and must give the same
    gradients every time: return fresh arrays, and modify neither dh nor
    what the cache holds.

    Inputs:
    - dh: upstream derivatives of every hidden state, of shape (N, T, H)
    - cache: whatever gru_forward returned

    Returns a tuple of:
    - dx: gradient with respect to x, of shape (N, T, D)
    - dh0: gradient with respect to h0, of shape (N, H)
    - dWx: gradient with respect to Wx, of shape (D, 3H)
    - dWh: gradient with respect to Wh, of shape (H, 3H)
    - dbx: gradient with respect to bx, of shape (3H,)
    - dbh: gradient with respect to bh, of shape (3H,)

    What is graded: the shapes of the six gradients; each against the
    reference and against central-difference numerical gradients of
    gru_forward on float64 inputs (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), on two configurations and on one of them
    for a second dh too; the same in the edge cases of gru_forward (T = 1,
    N = 1); that backward called twice with the same cache gives the same
    gradients (every backward returns fresh arrays); that dh is not
    modified; that the same inputs give the same outputs. Speed
    (gru_forward + gru_backward) is shown beside the score but never
    counted in it.
    """
    N, T, H = dh.shape
    x, Wx, Wh = cache[0][0], cache[0][2], cache[0][3]
    dx = np.empty((N, T, x.shape[1]))
    dWx, dWh, dbx, dbh = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(3 * H), np.zeros(3 * H)
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dprev_h, dWx_t, dWh_t, dbx_t, dbh_t = gru_step_backward(dh[:, t] + dprev_h, cache[t])
        dWx += dWx_t  # shared weights and biases: every step's contribution counts
        dWh += dWh_t
        dbx += dbx_t
        dbh += dbh_t
    return dx, dprev_h, dWx, dWh, dbx, dbh
