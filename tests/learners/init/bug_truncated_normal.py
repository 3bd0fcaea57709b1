# expect-fail: xavier_normal distribution; kaiming_normal distribution
# diagnosis: truncated normal
"""Redraws every normal draw beyond 2 std, as TensorFlow's truncated_normal and Keras's variance_scaling initialisers do: no tails, and a std 0.88 times the asked one; the docstring asks for a plain normal."""
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
    g = _gen(rng); flat = g.normal(size=int(np.prod(shape)))
    while np.any(np.abs(flat) > 2):
        bad = np.abs(flat) > 2; flat[bad] = g.normal(size=bad.sum())
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
    g = _gen(rng); flat = g.normal(size=int(np.prod(shape)))
    while np.any(np.abs(flat) > 2):
        bad = np.abs(flat) > 2; flat[bad] = g.normal(size=bad.sum())
    return flat.reshape(shape) * std
