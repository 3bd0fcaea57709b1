# expect: pass
"""Identities instead of the textbook formulas: heaviside for ReLU's gradient, sigmoid(x) = (1 + tanh(x/2))/2 and sigmoid(x) = exp(-logaddexp(0, -x)) checked against each other, tanh from its definition in exp(-2|x|)."""
import numpy as np


def relu_forward(x):
    return np.clip(x, 0.0, None), np.heaviside(x, 0.0)


def relu_backward(dout, cache):
    return dout * cache


def sigmoid_forward(x):
    out = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out, x


def sigmoid_backward(dout, cache):
    s = np.exp(-np.logaddexp(0.0, -cache))
    return dout * s * (1.0 - s)


def tanh_forward(x):
    e = np.exp(-2.0 * np.abs(x))
    out = np.sign(x) * (1.0 - e) / (1.0 + e)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1.0 - cache) * (1.0 + cache)
