# expect: pass
"""Keeps the whole history (gates, cells) in stacked arrays and does the weight gradients after the time loop with one einsum each, as an optimised implementation does; a stable sigmoid via np.exp of -|z| and masks."""
import numpy as np


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _gates(a, H):
    return _sigmoid(a[..., :H]), _sigmoid(a[..., H:2 * H]), np.tanh(a[..., 2 * H:3 * H]), _sigmoid(a[..., 3 * H:])


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    i, f, g, o = _gates(x @ Wx + prev_h @ Wh + b, prev_h.shape[1])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, {"inputs": (x, prev_h, prev_c, Wx, Wh), "gates": np.stack([i, f, g, o]), "c": next_c}


def _da(dh, dc_in, gates, prev_c, c):
    i, f, g, o = gates
    tc = np.tanh(c)
    dc = dc_in + dh * o * (1 - tc ** 2)
    return np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f), dc * i * (1 - g ** 2),
                           dh * tc * o * (1 - o)], axis=-1), dc * f


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh = cache["inputs"]
    da, dprev_c = _da(dnext_h, dnext_c, cache["gates"], prev_c, cache["c"])
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(0)


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    H = h0.shape[1]
    hs, cs = np.zeros((N, T + 1, H)), np.zeros((N, T + 1, H))
    hs[:, 0] = h0
    gates = np.zeros((T, 4, N, H))
    xa = np.einsum("ntd,dg->ntg", x, Wx) + b
    for t in range(T):
        gates[t] = np.stack(_gates(xa[:, t] + hs[:, t] @ Wh, H))
        i, f, g, o = gates[t]
        cs[:, t + 1] = f * cs[:, t] + i * g
        hs[:, t + 1] = o * np.tanh(cs[:, t + 1])
    return hs[:, 1:].copy(), (x, Wx, Wh, hs, cs, gates)


def lstm_backward(dh, cache):
    x, Wx, Wh, hs, cs, gates = cache
    N, T, H = dh.shape
    da = np.zeros((N, T, 4 * H))
    dnh, dnc = np.zeros((N, H)), np.zeros((N, H))
    for t in reversed(range(T)):
        da[:, t], dnc = _da(dh[:, t] + dnh, dnc, gates[t], cs[:, t], cs[:, t + 1])
        dnh = da[:, t] @ Wh.T
    return (np.einsum("ntg,dg->ntd", da, Wx), dnh, np.einsum("ntd,ntg->dg", x, da),
            np.einsum("ntk,ntg->kg", hs[:, :-1], da), da.sum(axis=(0, 1)))
