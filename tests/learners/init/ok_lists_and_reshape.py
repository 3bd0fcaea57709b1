# expect: pass
"""Shapes handled as lists (list(shape), a loop for the receptive field), the uniform as 2*rng.random(shape) - 1 scaled by the bound, a normal drawn flat and reshaped, the Kaiming fan picked from a dict (None: ValueError)."""
import numpy as np
def fans(shape):
    dims = list(shape)
    if len(dims) < 2:
        raise ValueError("fans needs a weight of at least 2 axes")
    receptive = 1
    for d in dims[2:]:
        receptive *= d
    if len(dims) == 2:
        return dims[0], dims[1]
    return dims[1] * receptive, dims[0] * receptive
def _gen(rng):
    if rng is None:
        rng = np.random.default_rng()
    return rng
def xavier_uniform(shape, gain=1.0, rng=None):
    fan_in, fan_out = fans(shape)
    bound = np.sqrt(3) * gain * np.sqrt(2 / (fan_in + fan_out))
    return (2 * _gen(rng).random(list(shape)) - 1) * bound
def xavier_normal(shape, gain=1.0, rng=None):
    fan_in, fan_out = fans(shape)
    std = gain * np.sqrt(2 / (fan_in + fan_out))
    flat = _gen(rng).normal(size=int(np.prod(shape)))
    return (flat * std).reshape(shape)
def kaiming_uniform(shape, a=0.0, mode="fan_in", rng=None):
    fan_in, fan_out = fans(shape)
    fan = {"fan_in": fan_in, "fan_out": fan_out}.get(mode)
    if fan is None:
        raise ValueError("mode must be fan_in or fan_out")
    gain = np.sqrt(2.0 / (1 + a ** 2))
    bound = gain * np.sqrt(3.0 / fan)
    return _gen(rng).uniform(low=-bound, high=bound, size=tuple(shape))
def kaiming_normal(shape, a=0.0, mode="fan_in", rng=None):
    fan_in, fan_out = fans(shape)
    fan = {"fan_in": fan_in, "fan_out": fan_out}.get(mode)
    if fan is None:
        raise ValueError("mode must be fan_in or fan_out")
    std = np.sqrt(2.0 / (1 + a ** 2)) / np.sqrt(fan)
    return _gen(rng).normal(loc=0, scale=std, size=shape)
