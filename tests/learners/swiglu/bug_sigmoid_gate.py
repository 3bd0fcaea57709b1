# expect-fail: forward values
# diagnosis: sigmoid instead of silu
"""hidden = sigmoid(x @ w_gate) * (x @ w_up), because a "gated linear unit" is remembered as a sigmoid gate (Dauphin et al.'s GLU), and Swish/SiLU is mistaken for just another name of that gate."""
import numpy as np


def swiglu_forward(x, w_gate, w_up, w_down):
    g = x @ w_gate
    u = x @ w_up
    s = 1.0 / (1.0 + np.exp(-g))
    h = s * u
    return h @ w_down, (x, w_gate, w_up, w_down, s, u, h)


def swiglu_backward(dout, cache):
    x, w_gate, w_up, w_down, s, u, h = cache
    dh = dout @ w_down.T
    dg = dh * u * s * (1 - s)
    du = dh * s
    dx = dg @ w_gate.T + du @ w_up.T
    xs = x.reshape(-1, x.shape[-1])
    dw_gate = xs.T @ dg.reshape(-1, dg.shape[-1])
    dw_up = xs.T @ du.reshape(-1, du.shape[-1])
    dw_down = h.reshape(-1, h.shape[-1]).T @ dout.reshape(-1, dout.shape[-1])
    return dx, dw_gate, dw_up, dw_down
