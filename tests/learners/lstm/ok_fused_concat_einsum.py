# expect: pass
"""[x, prev_h] @ [Wx; Wh] as one product, a stable piecewise sigmoid, np.split for the gates; the sequence keeps stacked states and gates and does the weights' gradients by einsum after the time loop."""
import numpy as np


def _sig(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def _gates(a):
    H = a.shape[-1] // 4
    i, f, g, o = np.split(a, 4, axis=-1)
    return _sig(i), _sig(f), np.tanh(g), _sig(o)


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    i, f, g, o = _gates(np.concatenate([x, prev_h], 1) @ np.concatenate([Wx, Wh], 0) + b)
    c = f * prev_c + i * g
    h = o * np.tanh(c)
    return h, c, dict(x=x, prev_h=prev_h, prev_c=prev_c, W=np.concatenate([Wx, Wh], 0), D=x.shape[1],
                      gates=(i, f, g, o), c=c)


def lstm_step_backward(dnext_h, dnext_c, cache):
    i, f, g, o = cache["gates"]
    tc = np.tanh(cache["c"])
    dc = dnext_c + dnext_h * o * (1 - tc * tc)
    da = np.concatenate([dc * g * i * (1 - i), dc * cache["prev_c"] * f * (1 - f), dc * i * (1 - g * g),
                         dnext_h * tc * o * (1 - o)], axis=1)
    dz = da @ cache["W"].T
    z = np.concatenate([cache["x"], cache["prev_h"]], 1)
    dW = z.T @ da
    D = cache["D"]
    return dz[:, :D], dz[:, D:], dc * f, dW[:D], dW[D:], da.sum(0)


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    xs = np.einsum("ntd,dg->ntg", x, Wx) + b
    h, c = h0, np.zeros_like(h0)
    hs, cs, gs = [h0], [c], []
    for t in range(T):
        i, f, g, o = _gates(xs[:, t] + h @ Wh)
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h); cs.append(c); gs.append(np.concatenate([i, f, g, o], 1))
    hs = np.stack(hs, 1)
    return hs[:, 1:].copy(), (x, hs, np.stack(cs, 1), np.stack(gs, 1), Wx, Wh)


def lstm_backward(dh, cache):
    x, hs, cs, gs, Wx, Wh = cache
    N, T, H = dh.shape
    da_all = np.zeros_like(gs)
    dh_next, dc_next = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        i, f, g, o = np.split(gs[:, t], 4, axis=1)
        tc = np.tanh(cs[:, t + 1])
        dht = dh[:, t] + dh_next
        dc = dc_next + dht * o * (1 - tc ** 2)
        da = np.concatenate([dc * g * i * (1 - i), dc * cs[:, t] * f * (1 - f), dc * i * (1 - g ** 2),
                             dht * tc * o * (1 - o)], 1)
        da_all[:, t] = da
        dh_next = da @ Wh.T
        dc_next = dc * f
    dx = np.einsum("ntg,dg->ntd", da_all, Wx)
    dWx = np.einsum("ntd,ntg->dg", x, da_all)
    dWh = np.einsum("nth,ntg->hg", hs[:, :-1], da_all)
    return dx, dh_next, dWx, dWh, da_all.sum((0, 1))
