# expect-fail: gru_step forward values; gru forward values
"""n = tanh(x Wx_n + bx_n + (r * h) Wh_n + bh_n), the reset gate applied to h before the product, as in Cho et al.'s paper and Keras' reset_after=False; PyTorch applies it after, to h Wh_n + bh_n."""
import numpy as np


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    H = prev_h.shape[1]
    gx = x @ Wx + bx
    gh = prev_h @ Wh[:, :2 * H] + bh[:2 * H]
    r = sigmoid(gx[:, :H] + gh[:, :H])
    z = sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
    n = np.tanh(gx[:, 2 * H:] + (r * prev_h) @ Wh[:, 2 * H:] + bh[2 * H:])
    next_h = (1 - z) * n + z * prev_h
    return next_h, (x, prev_h, Wx, Wh, r, z, n)


def gru_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, r, z, n = cache
    H = prev_h.shape[1]
    dn = dnext_h * (1 - z) * (1 - n ** 2)
    drh = dn @ Wh[:, 2 * H:].T
    dr = drh * prev_h * r * (1 - r)
    dz = dnext_h * (prev_h - n) * z * (1 - z)
    dgx = np.concatenate([dr, dz, dn], axis=1)
    dWh = np.concatenate([prev_h.T @ dr, prev_h.T @ dz, (r * prev_h).T @ dn], axis=1)
    dprev_h = dnext_h * z + drh * r + np.concatenate([dr, dz], axis=1) @ Wh[:, :2 * H].T
    return dgx @ Wx.T, dprev_h, x.T @ dgx, dWh, dgx.sum(axis=0), dgx.sum(axis=0)


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

