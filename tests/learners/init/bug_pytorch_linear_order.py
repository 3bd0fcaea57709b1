# expect-group-fail: value
# diagnosis: PyTorch's (out, in) order for a linear weight
"""Ports torch.nn.init._calculate_fan_in_and_fan_out as it is: fan_in = shape[1] for every shape, right for PyTorch's (out, in) linear weight and for conv weights, wrong for this repository's (D_in, D_out)."""
import math

import numpy as np


def fans(shape):
    # torch.nn.init._calculate_fan_in_and_fan_out, ported
    if len(shape) < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    num_input_fmaps, num_output_fmaps = shape[1], shape[0]
    receptive_field_size = math.prod(shape[2:])  # 1 for a 2-D weight
    return num_input_fmaps * receptive_field_size, num_output_fmaps * receptive_field_size


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
    std = math.sqrt(2.0 / (1 + a * a)) / math.sqrt(_fan(shape, mode))
    return rng.uniform(-math.sqrt(3.0) * std, math.sqrt(3.0) * std, size=shape)


def kaiming_normal(shape, a=0.0, mode="fan_in", rng=None):
    rng = rng or np.random.default_rng()
    std = math.sqrt(2.0 / (1 + a * a)) / math.sqrt(_fan(shape, mode))
    return rng.normal(0.0, std, size=shape)

