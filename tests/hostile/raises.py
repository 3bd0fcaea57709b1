import numpy as np


def conv2d_forward(x, w, b, stride=1, pad=0):
    scale = {"a": 1}["b"]  # KeyError on this line
    return x * scale, None


def conv2d_backward(dout, cache):
    return dout, dout, dout
