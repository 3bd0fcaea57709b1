# expect-fail: rnn forward output shape
# diagnosis: h0 included in h
"""The states are kept in one (N, T+1, H) array with h0 in slot 0, as the recurrence h[t+1] = f(h[t]) suggests, and the whole array is returned."""
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(0)


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T + 1, h0.shape[1]))
    h[:, 0] = h0
    caches = []
    for t in range(T):
        h[:, t + 1], c = rnn_step_forward(x[:, t], h[:, t], Wx, Wh, b)
        caches.append(c)
    return h, caches


def rnn_backward(dh, cache):
    T = len(cache)
    dx = np.zeros((dh.shape[0], T, cache[0][0].shape[1]))
    dWx, dWh, db = 0, 0, 0
    dprev = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        dx[:, t], dprev, a, bb, c = rnn_step_backward(dh[:, t + 1] + dprev, cache[t])
        dWx, dWh, db = dWx + a, dWh + bb, db + c
    return dx, dprev, dWx, dWh, db
