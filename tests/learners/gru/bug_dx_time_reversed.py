# expect-fail: gru gradient dx
# diagnosis: dx in reverse time order
"""The backward loop appends each step's dx to a list as it goes, t = T-1 down to 0, and stacks the list without reversing it."""
import numpy as np


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    H = prev_h.shape[1]
    Wxr, Wxz, Wxn = Wx[:, :H], Wx[:, H:2 * H], Wx[:, 2 * H:]
    Whr, Whz, Whn = Wh[:, :H], Wh[:, H:2 * H], Wh[:, 2 * H:]
    r = sigmoid(x @ Wxr + bx[:H] + prev_h @ Whr + bh[:H])
    z = sigmoid(x @ Wxz + bx[H:2 * H] + prev_h @ Whz + bh[H:2 * H])
    hn = prev_h @ Whn + bh[2 * H:]
    n = np.tanh(x @ Wxn + bx[2 * H:] + r * hn)
    next_h = (1 - z) * n + z * prev_h
    return next_h, [x, prev_h, Wx, Wh, r, z, n, hn]


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, n, hn = cache
    dn = dnext_h * (1 - z)
    dz = dnext_h * (prev_h - n)
    dan = dn * (1 - n * n)
    dr = dan * hn
    dar = dr * r * (1 - r)
    daz = dz * z * (1 - z)
    dax = np.hstack([dar, daz, dan])
    dah = np.hstack([dar, daz, dan * r])
    dx = dax @ Wx.T
    dprev_h = dnext_h * z + dah @ Wh.T
    return dx, dprev_h, x.T @ dax, prev_h.T @ dah, dax.sum(axis=0), dah.sum(axis=0)


def gru_forward(x, h0, Wx, Wh, bx, bh):
    caches, hs = [], []
    h = h0
    for t in range(x.shape[1]):
        h, c = gru_step_forward(x[:, t], h, Wx, Wh, bx, bh)
        hs.append(h)
        caches.append(c)
    return np.stack(hs, axis=1), caches


def gru_backward(dh, cache):
    N, T, H = dh.shape
    dx = []
    dprev = np.zeros((N, H))
    total = None
    for t in reversed(range(T)):
        dx_t, dprev, *w = gru_step_backward(dh[:, t] + dprev, cache[t])
        dx.append(dx_t)
        total = w if total is None else [a + b for a, b in zip(total, w)]
    return (np.stack(dx, 1), dprev, *total)
