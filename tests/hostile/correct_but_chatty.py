"""A correct answer that prints as it goes and draws from the global numpy RNG."""
import importlib.util
from pathlib import Path

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "_reference", Path(__file__).resolve().parents[2] / "solutions" / "conv2d.py")
_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_reference)

print("loading my conv2d")


def conv2d_forward(x, w, b, stride=1, pad=0):
    np.random.seed(0)
    print("forward", x.shape, np.random.rand())
    return _reference.conv2d_forward(x, w, b, stride, pad)


def conv2d_backward(dout, cache):
    print("backward", dout.shape, np.random.randn())
    return _reference.conv2d_backward(dout, cache)
