# expect: pass
"""A small class per step holding its inputs: the cache is the object itself, backward returns a list, the sequence walks reversed(list(enumerate(steps))) and sums the weights' gradients as lists."""
import numpy as np


class Step:
    def __init__(self, x, prev_h, Wx, Wh, b):
        self.x, self.prev_h, self.Wx, self.Wh = x, prev_h, Wx, Wh
        self.out = np.tanh(np.matmul(x, Wx) + np.matmul(prev_h, Wh) + b)

    def back(self, d):
        da = d * (1 - self.out * self.out)
        return [da @ self.Wx.T, da @ self.Wh.T, self.x.T @ da, self.prev_h.T @ da, np.sum(da, 0)]


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    s = Step(x, prev_h, Wx, Wh, b)
    return s.out, s


def rnn_step_backward(dnext_h, cache):
    return tuple(cache.back(dnext_h))


def rnn_forward(x, h0, Wx, Wh, b):
    steps, h = [], h0
    for t in range(x.shape[1]):
        s = Step(x[:, t], h, Wx, Wh, b)
        steps.append(s)
        h = s.out
    return np.stack([s.out for s in steps], 1), steps


def rnn_backward(dh, cache):
    grads = None
    dxs = [None] * len(cache)
    dnext = 0
    for t, s in reversed(list(enumerate(cache))):
        dx_t, dnext, *w = s.back(dh[:, t] + dnext)
        dxs[t] = dx_t
        grads = w if grads is None else [g + gw for g, gw in zip(grads, w)]
    return (np.stack(dxs, 1), dnext, *grads)
