# expect-fail: gradient dx
# diagnosis: dx missing a path
"""dx overwritten instead of accumulated: the gate's contribution is computed, then the up branch assigns dx = dup @ w_up.T on the next line, because each branch was written as if it owned dx."""
import numpy as np


def swiglu_forward(x, w_gate, w_up, w_down):
    g = np.matmul(x, w_gate)
    u = np.matmul(x, w_up)
    sg = np.exp(-np.logaddexp(0.0, -g))
    h = g * sg * u
    return np.matmul(h, w_down), {"x": x, "wg": w_gate, "wu": w_up, "wd": w_down, "g": g, "u": u, "sg": sg, "h": h}


def swiglu_backward(dout, cache):
    c = cache
    dh = dout @ c["wd"].T
    dg = dh * c["u"] * c["sg"] * (1 + c["g"] * (1 - c["sg"]))
    du = dh * c["g"] * c["sg"]
    dx = dg @ c["wg"].T
    dx = du @ c["wu"].T
    D = c["x"].shape[-1]
    x2 = c["x"].reshape(-1, D)
    H = c["h"].shape[-1]
    return dx, x2.T @ dg.reshape(-1, H), x2.T @ du.reshape(-1, H), c["h"].reshape(-1, H).T @ dout.reshape(-1, D)
