# expect-group-fail: value
# diagnosis: Kaiming without the sqrt(2) gain
"""Writes He initialisation as std = 1/sqrt(fan_in), the LeCun formula it extends, forgetting the gain that makes up for the half of its inputs a ReLU zeroes."""
import math

import numpy as np


def fans(shape):
    if len(shape) < 2:
        raise ValueError("need at least 2 axes")
    if len(shape) == 2:
        return shape[0], shape[1]
    rf = math.prod(shape[2:])
    return shape[1] * rf, shape[0] * rf


def xavier_uniform(shape, gain=1.0, rng=None):
    rng = rng or np.random.default_rng()
    fan_in, fan_out = fans(shape)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=shape)


def xavier_normal(shape, gain=1.0, rng=None):
    rng = rng or np.random.default_rng()
    fan_in, fan_out = fans(shape)
    return rng.normal(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), size=shape)


def _fan(shape, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"bad mode {mode}")
    fan_in, fan_out = fans(shape)
    return fan_in if mode == "fan_in" else fan_out


def kaiming_uniform(shape, a=0.0, mode="fan_in", rng=None):
    rng = rng or np.random.default_rng()
    std = 1.0 / math.sqrt(_fan(shape, mode))
    return rng.uniform(-math.sqrt(3.0) * std, math.sqrt(3.0) * std, size=shape)


def kaiming_normal(shape, a=0.0, mode="fan_in", rng=None):
    rng = rng or np.random.default_rng()
    std = 1.0 / math.sqrt(_fan(shape, mode))
    return rng.normal(0.0, std, size=shape)

