# expect: pass
"""Naive loops: every example and every time step handled on its own with 1-D vectors, as the equations are written on a whiteboard, and the gradients accumulated one outer product at a time."""
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.zeros((x.shape[0], Wx.shape[1]))
    for n in range(x.shape[0]):
        next_h[n] = np.tanh(x[n] @ Wx + prev_h[n] @ Wh + b)
    return next_h, {"x": x.copy(), "prev_h": prev_h.copy(), "Wx": Wx.copy(), "Wh": Wh.copy(), "h": next_h.copy()}


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, h = cache["x"], cache["prev_h"], cache["Wx"], cache["Wh"], cache["h"]
    dx, dprev_h = np.zeros_like(x), np.zeros_like(prev_h)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wx.shape[1])
    for n in range(x.shape[0]):
        da = dnext_h[n] * (1 - h[n] ** 2)
        dx[n] = Wx @ da
        dprev_h[n] = Wh @ da
        dWx += np.outer(x[n], da)
        dWh += np.outer(prev_h[n], da)
        db += da
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, Wh.shape[0]))
    caches = []
    for t in range(T):
        prev = h0 if t == 0 else h[:, t - 1]
        out, cache = rnn_step_forward(x[:, t], prev, Wx, Wh, b)
        h[:, t] = out
        caches.append(cache)
    return h, caches


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    dx = np.zeros((N, T, cache[0]["x"].shape[1]))
    dWx, dWh, db = np.zeros_like(cache[0]["Wx"]), np.zeros((H, H)), np.zeros(H)
    dnext = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dxt, dnext, a, c, d = rnn_step_backward(dh[:, t] + dnext, cache[t])
        dx[:, t] = dxt
        dWx = dWx + a
        dWh = dWh + c
        db = db + d
    return dx, dnext, dWx, dWh, db
