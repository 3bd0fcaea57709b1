import numpy as np


def conv2d_forward(x, w, b, stride=1, pad=0):
    return (np.zeros(1), None, "extra")


def conv2d_backward(dout, cache):
    return np.zeros(1), np.zeros(1)
