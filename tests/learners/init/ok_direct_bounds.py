# expect: pass
"""Compact answer: fans by np.prod of the trailing axes, the Xavier bound written directly as gain*sqrt(6/(fan_in + fan_out)), rng.uniform(-b, b, size) and rng.normal(0, std, size), Kaiming normal as rng.standard_normal(shape) * std."""
import math
import numpy as np
def fans(shape):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("need >= 2 axes")
    if len(shape) == 2:
        return shape[0], shape[1]
    rf = int(np.prod(shape[2:]))
    return shape[1] * rf, shape[0] * rf
def _rng(rng):
    return np.random.default_rng() if rng is None else rng
def xavier_uniform(shape, gain=1.0, rng=None):
    fi, fo = fans(shape)
    b = gain * math.sqrt(6.0 / (fi + fo))
    return _rng(rng).uniform(-b, b, size=shape)
def xavier_normal(shape, gain=1.0, rng=None):
    fi, fo = fans(shape)
    return _rng(rng).normal(0.0, gain * math.sqrt(2.0 / (fi + fo)), size=shape)
def _kstd(shape, a, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(mode)
    fi, fo = fans(shape)
    return math.sqrt(2.0 / (1 + a * a)) / math.sqrt(fi if mode == "fan_in" else fo)
def kaiming_uniform(shape, a=0.0, mode="fan_in", rng=None):
    b = math.sqrt(3.0) * _kstd(shape, a, mode)
    return _rng(rng).uniform(-b, b, shape)
def kaiming_normal(shape, a=0.0, mode="fan_in", rng=None):
    return _rng(rng).standard_normal(shape) * _kstd(shape, a, mode)
