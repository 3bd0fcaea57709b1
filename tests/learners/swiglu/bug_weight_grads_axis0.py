# expect-fail: backward gradient shapes
# diagnosis: weight gradients summed over axis 0 only
"""Weight gradients as outer products summed with .sum(axis=0), because the layer was first written for (N, D) input where axis 0 is the whole batch; with (N, T, D) the T positions are left unsummed."""
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
    dgate = dhidden * up * sig * (1 + gate * (1 - sig))
    dup = dhidden * gate * sig
    dx = dgate @ w_gate.T + dup @ w_up.T
    dw_gate = (x[..., :, None] * dgate[..., None, :]).sum(axis=0)
    dw_up = (x[..., :, None] * dup[..., None, :]).sum(axis=0)
    dw_down = (hidden[..., :, None] * dout[..., None, :]).sum(axis=0)
    return dx, dw_gate, dw_up, dw_down
