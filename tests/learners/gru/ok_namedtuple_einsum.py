# expect: pass
"""A namedtuple cache, a tanh-based sigmoid, einsum for the products, a dict of step caches and a while loop going back in time."""
import numpy as np
from collections import namedtuple

Cache = namedtuple("Cache", "x prev_h Wx Wh gx gh r z n")


def _sig(a):
    return 0.5 * (np.tanh(a / 2) + 1)


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    gx = np.matmul(x, Wx) + bx
    gh = np.matmul(prev_h, Wh) + bh
    xr, xz, xn = np.split(gx, 3, axis=1)
    hr, hz, hn = np.split(gh, 3, axis=1)
    rz = _sig(np.hstack([xr + hr, xz + hz]))
    r, z = np.split(rz, 2, axis=1)
    n = np.tanh(xn + r * hn)
    return (1 - z) * n + z * prev_h, Cache(x, prev_h, Wx, Wh, gx, gh, r, z, n)


def gru_step_backward(dnext_h, cache):
    c = cache
    H = c.prev_h.shape[1]
    hn = c.gh[:, 2 * H:]
    dan = dnext_h * (1 - c.z) * (1 - c.n ** 2)
    dar = dan * hn * c.r * (1 - c.r)
    daz = dnext_h * (c.prev_h - c.n) * c.z * (1 - c.z)
    dgx = np.concatenate([dar, daz, dan], axis=1)
    dgh = np.concatenate([dar, daz, dan * c.r], axis=1)
    return (np.einsum("ng,dg->nd", dgx, c.Wx), dnext_h * c.z + np.einsum("ng,hg->nh", dgh, c.Wh),
            np.einsum("nd,ng->dg", c.x, dgx), np.einsum("nh,ng->hg", c.prev_h, dgh), dgx.sum(0), dgh.sum(0))


def gru_forward(x, h0, Wx, Wh, bx, bh):
    N, T, D = x.shape
    out = np.empty((N, T, h0.shape[1]))
    caches = {}
    h = h0
    for t in range(T):
        h, caches[t] = gru_step_forward(x[:, t, :], h, Wx, Wh, bx, bh)
        out[:, t, :] = h
    return out, (caches, D)


def gru_backward(dh, cache):
    caches, D = cache
    N, T, H = dh.shape
    dx = np.zeros((N, T, D))
    dWx, dWh = np.zeros((D, 3 * H)), np.zeros((H, 3 * H))
    dbx, dbh = np.zeros(3 * H), np.zeros(3 * H)
    carry = np.zeros((N, H))
    t = T - 1
    while t >= 0:
        dx[:, t, :], carry, a, b, c, d = gru_step_backward(dh[:, t, :] + carry, caches[t])
        dWx += a; dWh += b; dbx += c; dbh += d
        t -= 1
    return dx, carry, dWx, dWh, dbx, dbh
