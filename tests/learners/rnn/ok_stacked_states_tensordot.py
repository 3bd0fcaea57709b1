# expect: pass
"""The input projection for every step at once, the states stacked with h0 first (and sliced off for the output), and backward that collects every step's da before the weight gradients by tensordot over (N, T)."""
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, {"x": x, "prev_h": prev_h, "Wx": Wx, "Wh": Wh, "next_h": next_h}


def rnn_step_backward(dnext_h, cache):
    da = dnext_h * (1.0 - np.square(cache["next_h"]))
    return (np.einsum("nh,dh->nd", da, cache["Wx"]), np.einsum("nh,kh->nk", da, cache["Wh"]),
            np.einsum("nd,nh->dh", cache["x"], da), np.einsum("nk,nh->kh", cache["prev_h"], da), da.sum(0))


def rnn_forward(x, h0, Wx, Wh, b):
    xw = np.einsum("ntd,dh->nth", x, Wx) + b
    hs = [h0]
    for t in range(x.shape[1]):
        hs.append(np.tanh(xw[:, t] + hs[-1] @ Wh))
    H = np.stack(hs, axis=1)  # (N, T+1, H), h0 first
    return H[:, 1:], (x, H, Wx, Wh)


def rnn_backward(dh, cache):
    x, H, Wx, Wh = cache
    T = x.shape[1]
    h = H[:, 1:]
    das = np.empty_like(dh)
    carry = np.zeros_like(H[:, 0])
    for t in range(T - 1, -1, -1):
        da = (dh[:, t] + carry) * (1 - h[:, t] ** 2)
        das[:, t] = da
        carry = da @ Wh.T
    dx = das @ Wx.T
    dWx = np.tensordot(x, das, axes=([0, 1], [0, 1]))
    dWh = np.tensordot(H[:, :-1], das, axes=([0, 1], [0, 1]))
    db = das.sum(axis=(0, 1))
    return dx, carry, dWx, dWh, db
