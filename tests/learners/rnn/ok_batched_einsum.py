# expect: pass
"""Stores the whole history of hidden states once and does the weight gradients with one einsum over all steps after the time loop, as an optimised implementation does: only dprev_h needs the sequential loop."""
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", prev_h, Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h) * (1 + next_h)
    return (np.einsum("nh,dh->nd", da, Wx), np.einsum("nh,kh->nk", da, Wh), np.einsum("nd,nh->dh", x, da),
            np.einsum("nk,nh->kh", prev_h, da), np.einsum("nh->h", da))


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    states = np.empty((N, T + 1, h0.shape[1]))
    states[:, 0] = h0
    xw = np.einsum("ntd,dh->nth", x, Wx) + b  # the input projections of every step at once
    for t in range(T):
        states[:, t + 1] = np.tanh(xw[:, t] + states[:, t] @ Wh)
    return states[:, 1:].copy(), (x, Wx, Wh, states)


def rnn_backward(dh, cache):
    x, Wx, Wh, states = cache
    N, T, H = dh.shape
    da = np.empty((N, T, H))
    carry = np.zeros((N, H))
    for t in reversed(range(T)):
        da[:, t] = (dh[:, t] + carry) * (1 - states[:, t + 1] ** 2)
        carry = da[:, t] @ Wh.T
    dx = np.einsum("nth,dh->ntd", da, Wx)
    dWx = np.einsum("ntd,nth->dh", x, da)
    dWh = np.einsum("ntk,nth->kh", states[:, :-1], da)
    return dx, carry, dWx, dWh, da.sum(axis=(0, 1))
