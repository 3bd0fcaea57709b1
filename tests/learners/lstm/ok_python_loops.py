# expect: pass
"""Naive loops: one example at a time, each gate from its own weight columns, with math-style 1-D vectors and outer products accumulated in the backward, as the equations read in a textbook."""
import math

import numpy as np


def _sig(v):
    return np.array([1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z)) for z in v])


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    N, H = prev_h.shape
    next_h, next_c = np.zeros((N, H)), np.zeros((N, H))
    gates = []
    for n in range(N):
        pre = [x[n] @ Wx[:, k * H:(k + 1) * H] + prev_h[n] @ Wh[:, k * H:(k + 1) * H] + b[k * H:(k + 1) * H]
               for k in range(4)]
        i, f, g, o = _sig(pre[0]), _sig(pre[1]), np.tanh(pre[2]), _sig(pre[3])
        next_c[n] = f * prev_c[n] + i * g
        next_h[n] = o * np.tanh(next_c[n])
        gates.append((i, f, g, o))
    return next_h, next_c, dict(x=x.copy(), h=prev_h.copy(), c=prev_c.copy(), Wx=Wx.copy(), Wh=Wh.copy(),
                                gates=gates, next_c=next_c.copy())


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh = cache["x"], cache["h"], cache["c"], cache["Wx"], cache["Wh"]
    N, H = prev_h.shape
    dx, dprev_h, dprev_c = np.zeros_like(x), np.zeros_like(prev_h), np.zeros_like(prev_c)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(4 * H)
    for n in range(N):
        i, f, g, o = cache["gates"][n]
        tc = np.tanh(cache["next_c"][n])
        dc = dnext_c[n] + dnext_h[n] * o * (1 - tc * tc)
        da = np.concatenate([dc * g * i * (1 - i), dc * prev_c[n] * f * (1 - f), dc * i * (1 - g * g),
                             dnext_h[n] * tc * o * (1 - o)])
        dx[n] = Wx @ da
        dprev_h[n] = Wh @ da
        dprev_c[n] = dc * f
        dWx += np.outer(x[n], da)
        dWh += np.outer(prev_h[n], da)
        db += da
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    c = np.zeros_like(h0)
    caches = []
    for t in range(T):
        h_t, c, cache = lstm_step_forward(x[:, t], h0 if t == 0 else h[:, t - 1], c, Wx, Wh, b)
        h[:, t] = h_t
        caches.append(cache)
    return h, caches


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    dx = np.zeros((N, T, cache[0]["x"].shape[1]))
    dWx, dWh, db = np.zeros_like(cache[0]["Wx"]), np.zeros_like(cache[0]["Wh"]), np.zeros(4 * H)
    dnh, dnc = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dx[:, t], dnh, dnc, gx, gh, gb = lstm_step_backward(dh[:, t] + dnh, dnc, cache[t])
        dWx, dWh, db = dWx + gx, dWh + gh, db + gb
    return dx, dnh, dWx, dWh, db
