# expect-fail: gru_step gradient dbh; gru gradient dbh
# diagnosis: one bias instead of two
"""dbh = dbx, because "the two biases are just added", so their gradients must be equal; true for r and z, but in n's block bh sits inside r * (h Wh_n + bh_n)."""
import numpy as np


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    H = prev_h.shape[1]
    gx = x @ Wx + bx
    gh = prev_h @ Wh + bh
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + r * gh[:, 2 * H:])
    next_h = (1 - z) * n + z * prev_h
    return next_h, (x, prev_h, Wx, Wh, r, z, n, gh[:, 2 * H:])


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, n, hn = cache
    dn = dnext_h * (1 - z) * (1 - n ** 2)
    dr = dn * hn * r * (1 - r)
    dz = dnext_h * (prev_h - n) * z * (1 - z)
    dgx = np.concatenate([dr, dz, dn], axis=1)
    dgh = np.concatenate([dr, dz, dn * r], axis=1)
    dprev_h = dnext_h * z + dgh @ Wh.T
    db = dgx.sum(axis=0)
    return dgx @ Wx.T, dprev_h, x.T @ dgx, prev_h.T @ dgh, db, db.copy()


def gru_forward(x, h0, Wx, Wh, bx, bh):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev_h, caches = h0, []
    for t in range(T):
        prev_h, cache = gru_step_forward(x[:, t, :], prev_h, Wx, Wh, bx, bh)
        h[:, t, :] = prev_h
        caches.append(cache)
    return h, caches


def gru_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx, dWh, dbx, dbh = np.zeros((D, 3 * H)), np.zeros((H, 3 * H)), np.zeros(3 * H), np.zeros(3 * H)
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t, :], dprev_h, a, b, c, d = gru_step_backward(dh[:, t, :] + dprev_h, cache[t])
        dWx += a
        dWh += b
        dbx += c
        dbh += d
    return dx, dprev_h, dWx, dWh, dbx, dbh

