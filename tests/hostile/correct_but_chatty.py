"""A correct answer that prints as it goes and draws from the global numpy RNG."""
import numpy as np

import conv2d_answer as _reference  # a correct answer of its own, beside it

print("loading my conv2d")


def conv2d_forward(x, w, b, stride=1, pad=0):
    np.random.seed(0)
    print("forward", x.shape, np.random.rand())
    return _reference.conv2d_forward(x, w, b, stride, pad)


def conv2d_backward(dout, cache):
    print("backward", dout.shape, np.random.randn())
    return _reference.conv2d_backward(dout, cache)
