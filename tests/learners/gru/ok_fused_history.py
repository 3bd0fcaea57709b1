# expect: pass
"""Projects every step's input at once (one einsum over the sequence), keeps the gates in stacked arrays, and computes the weight and bias gradients after the time loop; a stable sigmoid from tanh."""
import numpy as np


def _sigmoid(v):
    return 0.5 + 0.5 * np.tanh(0.5 * v)


def _cell(ax, prev_h, Wh, bh):
    H = prev_h.shape[-1]
    ah = prev_h @ Wh + bh
    rz = _sigmoid(ax[..., :2 * H] + ah[..., :2 * H])
    r, z = rz[..., :H], rz[..., H:]
    n = np.tanh(ax[..., 2 * H:] + r * ah[..., 2 * H:])
    return (1 - z) * n + z * prev_h, (r, z, n, ah[..., 2 * H:])


def _pre_grads(dnext_h, prev_h, gates):
    r, z, n, hn = gates
    dan = dnext_h * (1 - z) * (1 - n * n)
    dar = dan * hn * r * (1 - r)
    daz = dnext_h * (prev_h - n) * z * (1 - z)
    return np.concatenate([dar, daz, dan], -1), np.concatenate([dar, daz, dan * r], -1)


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    next_h, gates = _cell(x @ Wx + bx, prev_h, Wh, bh)
    return next_h, (x, prev_h, Wx, Wh, gates)


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, gates = cache
    dax, dah = _pre_grads(dnext_h, prev_h, gates)
    return dax @ Wx.T, dnext_h * gates[1] + dah @ Wh.T, x.T @ dax, prev_h.T @ dah, dax.sum(0), dah.sum(0)


def gru_forward(x, h0, Wx, Wh, bx, bh):
    N, T, _ = x.shape
    ax = np.einsum("ntd,dg->ntg", x, Wx) + bx
    hs = [h0]
    gates = []
    for t in range(T):
        h, g = _cell(ax[:, t], hs[-1], Wh, bh)
        hs.append(h)
        gates.append(g)
    return np.stack(hs[1:], axis=1), (x, Wx, Wh, hs, gates)


def gru_backward(dh, cache):
    x, Wx, Wh, hs, gates = cache
    N, T, H = dh.shape
    dax, dah = np.zeros((N, T, 3 * H)), np.zeros((N, T, 3 * H))
    carry = np.zeros((N, H))
    for t in reversed(range(T)):
        g = dh[:, t] + carry
        dax[:, t], dah[:, t] = _pre_grads(g, hs[t], gates[t])
        carry = g * gates[t][1] + dah[:, t] @ Wh.T
    prev = np.stack(hs[:-1], axis=1)
    return (np.einsum("ntg,dg->ntd", dax, Wx), carry, np.einsum("ntd,ntg->dg", x, dax),
            np.einsum("ntk,ntg->kg", prev, dah), dax.sum((0, 1)), dah.sum((0, 1)))
