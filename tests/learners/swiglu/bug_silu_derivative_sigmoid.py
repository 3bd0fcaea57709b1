# expect-fail: gradient dx; gradient dw_gate
# diagnosis: silu derivative taken as sigmoid
"""silu'(g) written as sigmoid(g), because silu(g) = g * sigmoid(g) looks like "a linear function with slope sigmoid(g)" and the product rule's second term, g * sigmoid'(g), is dropped."""
import numpy as np


def swiglu_forward(x, w_gate, w_up, w_down):
    gate = x @ w_gate
    up = x @ w_up
    sig = 1 / (1 + np.exp(-gate))
    hidden = gate * sig * up
    return hidden @ w_down, (x, w_gate, w_up, w_down, gate, up, sig, hidden)


def swiglu_backward(dout, cache):
    x, w_gate, w_up, w_down, gate, up, sig, hidden = cache
    dhidden = dout @ w_down.T
    dgate = dhidden * up * sig
    dup = dhidden * gate * sig
    dx = dgate @ w_gate.T + dup @ w_up.T
    D, H = w_gate.shape
    x2 = x.reshape(-1, D)
    return dx, x2.T @ dgate.reshape(-1, H), x2.T @ dup.reshape(-1, H), hidden.reshape(-1, H).T @ dout.reshape(-1, D)
