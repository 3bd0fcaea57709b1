# expect-fail: deterministic
"""The cached up and gate activations are scaled in place in backward (up *= dhidden, ...) to save allocations, because backward is assumed to run once per forward; a second backward with the same cache then starts from the wrong numbers."""
import numpy as np


def swiglu_forward(x, w_gate, w_up, w_down):
    gate = x @ w_gate
    up = x @ w_up
    sig = 1 / (1 + np.exp(-gate))
    act = gate * sig
    hidden = act * up
    return hidden @ w_down, {"x": x, "w": (w_gate, w_up, w_down), "gate": gate, "up": up, "sig": sig,
                             "act": act, "hidden": hidden}


def swiglu_backward(dout, cache):
    x = cache["x"]
    w_gate, w_up, w_down = cache["w"]
    gate, sig = cache["gate"], cache["sig"]
    dhidden = dout @ w_down.T
    dup = cache["act"]
    dup *= dhidden          # reuses the cached silu(gate) as the buffer for dup
    dgate = cache["up"]
    dgate *= dhidden * sig * (1 + gate * (1 - sig))
    dx = dgate @ w_gate.T + dup @ w_up.T
    D, H = w_gate.shape
    x2 = x.reshape(-1, D)
    dw_down = cache["hidden"].reshape(-1, H).T @ dout.reshape(-1, D)
    return dx, x2.T @ dgate.reshape(-1, H), x2.T @ dup.reshape(-1, H), dw_down
