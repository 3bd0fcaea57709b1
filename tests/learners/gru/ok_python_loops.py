# expect: pass
"""Naive loops: one example at a time, each gate from its own named weight blocks, as the equations read in PyTorch's documentation, and the gradients accumulated with outer products."""
import math

import numpy as np


def _sig(v):
    return np.array([1 / (1 + math.exp(-u)) if u >= 0 else math.exp(u) / (1 + math.exp(u)) for u in v])


def _blocks(W, H):
    return W[..., :H], W[..., H:2 * H], W[..., 2 * H:]


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    N, H = prev_h.shape
    (Wxr, Wxz, Wxn), (Whr, Whz, Whn) = _blocks(Wx, H), _blocks(Wh, H)
    (bxr, bxz, bxn), (bhr, bhz, bhn) = _blocks(bx, H), _blocks(bh, H)
    next_h = np.zeros((N, H))
    saved = []
    for i in range(N):
        h = prev_h[i]
        r = _sig(x[i] @ Wxr + bxr + h @ Whr + bhr)
        z = _sig(x[i] @ Wxz + bxz + h @ Whz + bhz)
        hn = h @ Whn + bhn
        n = np.tanh(x[i] @ Wxn + bxn + r * hn)
        next_h[i] = (1 - z) * n + z * h
        saved.append((r, z, n, hn))
    return next_h, {"x": x.copy(), "h": prev_h.copy(), "Wx": Wx.copy(), "Wh": Wh.copy(), "saved": saved}


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh = cache["x"], cache["h"], cache["Wx"], cache["Wh"]
    N, H = prev_h.shape
    dx, dprev_h = np.zeros_like(x), np.zeros_like(prev_h)
    dWx, dWh, dbx, dbh = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(3 * H), np.zeros(3 * H)
    for i in range(N):
        r, z, n, hn = cache["saved"][i]
        g = dnext_h[i]
        dan = g * (1 - z) * (1 - n ** 2)
        daz = g * (prev_h[i] - n) * z * (1 - z)
        dar = dan * hn * r * (1 - r)
        ain = np.concatenate([dar, daz, dan])
        hid = np.concatenate([dar, daz, dan * r])
        dx[i] = Wx @ ain
        dprev_h[i] = g * z + Wh @ hid
        dWx += np.outer(x[i], ain)
        dWh += np.outer(prev_h[i], hid)
        dbx += ain
        dbh += hid
    return dx, dprev_h, dWx, dWh, dbx, dbh


def gru_forward(x, h0, Wx, Wh, bx, bh):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    caches = []
    for t in range(T):
        h[:, t], cache = gru_step_forward(x[:, t], h0 if t == 0 else h[:, t - 1], Wx, Wh, bx, bh)
        caches.append(cache)
    return h, caches


def gru_backward(dh, cache):
    N, T, H = dh.shape
    dx = np.zeros((N, T, cache[0]["x"].shape[1]))
    grads = [np.zeros_like(cache[0]["Wx"]), np.zeros_like(cache[0]["Wh"]), np.zeros(3 * H), np.zeros(3 * H)]
    carry = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dx[:, t], carry, *step = gru_step_backward(dh[:, t] + carry, cache[t])
        grads = [a + b for a, b in zip(grads, step)]
    return (dx, carry, *grads)
