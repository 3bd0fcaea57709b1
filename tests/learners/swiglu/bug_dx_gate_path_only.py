# expect-fail: gradient dx
# diagnosis: dx missing a path
"""dx = dgate @ w_gate.T, because the backward is written as a chain down the gate branch (down, hidden, silu, gate, x) and the up projection, which also reads x, is treated as a side input whose own path to x is forgotten."""
import numpy as np


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def swiglu_forward(x, w_gate, w_up, w_down):
    gate = x @ w_gate
    up = x @ w_up
    act = gate * _sigmoid(gate)
    hidden = act * up
    return hidden @ w_down, (x, w_gate, w_up, w_down, gate, up, act, hidden)


def swiglu_backward(dout, cache):
    x, w_gate, w_up, w_down, gate, up, act, hidden = cache
    s = _sigmoid(gate)
    dhidden = dout @ w_down.T
    dact = dhidden * up
    dup = dhidden * act
    dgate = dact * (s + gate * s * (1 - s))
    dx = dgate @ w_gate.T
    D, H = w_gate.shape
    x2 = x.reshape(-1, D)
    return dx, x2.T @ dgate.reshape(-1, H), x2.T @ dup.reshape(-1, H), hidden.reshape(-1, H).T @ dout.reshape(-1, D)
