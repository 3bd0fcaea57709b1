# expect: pass
"""Naive loops: the fans by multiplying the kernel axes one at a time, and every weight drawn one by one from the rng into a preallocated array (the uniform as low + (high - low) * rng.random(), the normal as std * rng.standard_normal())."""
import math

import numpy as np


def fans(shape):
    shape = list(shape)
    if len(shape) < 2:
        raise ValueError(f"shape {shape} has fewer than 2 axes")
    receptive_field = 1
    for size in shape[2:]:
        receptive_field *= size
    if len(shape) == 2:
        return shape[0], shape[1]
    return shape[1] * receptive_field, shape[0] * receptive_field


def _fill(shape, draw):
    w = np.empty(tuple(shape))
    flat = w.reshape(-1)
    for i in range(flat.size):
        flat[i] = draw()
    return w


def _generator(rng):
    if rng is None:
        rng = np.random.default_rng()
    return rng


def xavier_uniform(shape, gain=1.0, rng=None):
    rng = _generator(rng)
    fan_in, fan_out = fans(shape)
    bound = math.sqrt(3) * gain * math.sqrt(2 / (fan_in + fan_out))
    return _fill(shape, lambda: -bound + 2 * bound * rng.random())


def xavier_normal(shape, gain=1.0, rng=None):
    rng = _generator(rng)
    fan_in, fan_out = fans(shape)
    std = gain * math.sqrt(2 / (fan_in + fan_out))
    return _fill(shape, lambda: std * rng.standard_normal())


def _kaiming_std(shape, a, mode):
    fan_in, fan_out = fans(shape)
    if mode == "fan_in":
        fan = fan_in
    elif mode == "fan_out":
        fan = fan_out
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return math.sqrt(2 / (1 + a**2)) / math.sqrt(fan)


def kaiming_uniform(shape, a=0.0, mode="fan_in", rng=None):
    rng = _generator(rng)
    bound = math.sqrt(3) * _kaiming_std(shape, a, mode)
    return _fill(shape, lambda: -bound + 2 * bound * rng.random())


def kaiming_normal(shape, a=0.0, mode="fan_in", rng=None):
    rng = _generator(rng)
    std = _kaiming_std(shape, a, mode)
    return _fill(shape, lambda: std * rng.standard_normal())
