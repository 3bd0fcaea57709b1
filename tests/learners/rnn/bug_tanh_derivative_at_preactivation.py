# expect-fail: rnn_step gradient dx; rnn gradient dx
# diagnosis: tanh derivative taken at the pre-activation
"""The forward caches the pre-activation a (it "is what tanh was applied to") and the backward writes 1 - a**2, the tanh derivative formula applied to tanh's input instead of its output."""
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    a = x @ Wx + prev_h @ Wh + b
    return np.tanh(a), (x, prev_h, Wx, Wh, a)


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, a = cache
    da = dnext_h * (1 - a ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    h, caches, prev_h = [], [], h0
    for t in range(x.shape[1]):
        prev_h, cache = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)
        h.append(prev_h)
        caches.append(cache)
    return np.stack(h, axis=1), caches


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    dx = np.zeros((N, T, cache[0][0].shape[1]))
    dprev = np.zeros((N, H))
    grads = None
    for t in reversed(range(T)):
        dx[:, t], dprev, *step = rnn_step_backward(dh[:, t] + dprev, cache[t])
        grads = step if grads is None else [g + s for g, s in zip(grads, step)]
    return (dx, dprev, *grads)
