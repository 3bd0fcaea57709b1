# expect-fail: forward values; gradient dx
# diagnosis: theta exponent -i/d
"""theta = base ** (-np.arange(d // 2) / d), because the paper's 10000^(-2(i-1)/d) is remembered as "i over d" once i already runs over the d/2 pairs, so the 2 is dropped."""
import numpy as np


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2:
        raise ValueError("d must be even")
    pos = np.arange(T) if positions is None else positions
    theta = base ** (-np.arange(d // 2) / d)
    angle = np.outer(pos, theta)
    cos, sin = np.cos(angle), np.sin(angle)
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return np.concatenate([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1), (cos, sin)


def rope_backward(dout, cache):
    cos, sin = cache
    h = dout.shape[-1] // 2
    d1, d2 = dout[..., :h], dout[..., h:]
    return np.concatenate([d1 * cos + d2 * sin, -d1 * sin + d2 * cos], axis=-1)
