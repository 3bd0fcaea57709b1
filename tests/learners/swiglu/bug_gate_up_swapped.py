# expect-fail: forward values
# diagnosis: gate and up swapped
"""silu applied to x @ w_up and the plain product taken with x @ w_gate, because "up" reads like the main branch that gets the activation and the gate like the multiplier; the code is otherwise right for that (wrong) block."""
import numpy as np


def _silu(z):
    return z / (1 + np.exp(-z))


def swiglu_forward(x, w_gate, w_up, w_down):
    a = x @ w_gate
    b = x @ w_up
    hidden = _silu(b) * a
    return hidden @ w_down, (x, w_gate, w_up, w_down, a, b, hidden)


def swiglu_backward(dout, cache):
    x, w_gate, w_up, w_down, a, b, hidden = cache
    s = 1 / (1 + np.exp(-b))
    dhidden = dout @ w_down.T
    da = dhidden * _silu(b)
    db = dhidden * a * (s + b * s * (1 - s))
    dx = da @ w_gate.T + db @ w_up.T
    D, H = w_gate.shape
    x2 = x.reshape(-1, D)
    return dx, x2.T @ da.reshape(-1, H), x2.T @ db.reshape(-1, H), hidden.reshape(-1, H).T @ dout.reshape(-1, D)
