# expect: pass
"""Naive loops: every position of the flattened leading axes, and every hidden unit, one dot product at a time, with the gradients accumulated with += as the chain rule is written on paper."""
import math

import numpy as np


def _silu(z):
    return z / (1 + math.exp(-z)) if z >= 0 else z * math.exp(z) / (1 + math.exp(z))


def swiglu_forward(x, w_gate, w_up, w_down):
    D, H = w_gate.shape
    rows = x.reshape(-1, D)
    out = np.zeros((rows.shape[0], D))
    hidden = np.zeros((rows.shape[0], H))
    for p in range(rows.shape[0]):
        for j in range(H):
            g = float(np.dot(rows[p], w_gate[:, j]))
            u = float(np.dot(rows[p], w_up[:, j]))
            hidden[p, j] = _silu(g) * u
        for d in range(D):
            out[p, d] = np.dot(hidden[p], w_down[:, d])
    return out.reshape(x.shape), (x, w_gate, w_up, w_down, hidden)


def swiglu_backward(dout, cache):
    x, w_gate, w_up, w_down, hidden = cache
    D, H = w_gate.shape
    rows = x.reshape(-1, D)
    douts = dout.reshape(-1, D)
    dx = np.zeros_like(rows)
    dw_gate = np.zeros_like(w_gate)
    dw_up = np.zeros_like(w_up)
    dw_down = np.zeros_like(w_down)
    for p in range(rows.shape[0]):
        for j in range(H):
            g = float(np.dot(rows[p], w_gate[:, j]))
            u = float(np.dot(rows[p], w_up[:, j]))
            s = 1 / (1 + math.exp(-g)) if g >= 0 else math.exp(g) / (1 + math.exp(g))
            dh = float(np.dot(douts[p], w_down[j, :]))
            dg = dh * u * (s + g * s * (1 - s))
            du = dh * g * s
            dx[p] += dg * w_gate[:, j] + du * w_up[:, j]
            dw_gate[:, j] += dg * rows[p]
            dw_up[:, j] += du * rows[p]
            dw_down[j, :] += hidden[p, j] * douts[p]
    return dx.reshape(x.shape), dw_gate, dw_up, dw_down
