# expect-fail: rnn_step gradient dWh; rnn gradient dWh
"""dWh taken with the step's output next_h instead of its input prev_h: the hidden state the cache holds is the wrong one."""
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, next_h.T @ da, da.sum(0)


def rnn_forward(x, h0, Wx, Wh, b):
    h, caches, prev = [], [], h0
    for t in range(x.shape[1]):
        prev, c = rnn_step_forward(x[:, t], prev, Wx, Wh, b)
        h.append(prev); caches.append(c)
    return np.stack(h, 1), caches


def rnn_backward(dh, cache):
    dx = []
    dWx = dWh = db = 0
    dprev = 0
    for t in reversed(range(len(cache))):
        a, dprev, g1, g2, g3 = rnn_step_backward(dh[:, t] + dprev, cache[t])
        dx.insert(0, a)
        dWx, dWh, db = dWx + g1, dWh + g2, db + g3
    return np.stack(dx, 1), dprev, dWx, dWh, db
