# expect-fail: positions given
# diagnosis: positions ignored
"""The angle table built from np.arange(T) whatever positions says, because in training the positions always are 0..T-1 and the positions argument looks like an optional extra (it matters once a cache feeds new tokens at T0, T0+1, ...)."""
import numpy as np


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2:
        raise ValueError("d must be even")
    theta = base ** (-2 * np.arange(d // 2) / d)
    angle = np.arange(T)[:, None] * theta
    cos, sin = np.cos(angle), np.sin(angle)
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return np.concatenate([x1 * cos - x2 * sin, x1 * sin + x2 * cos], axis=-1), (cos, sin)


def rope_backward(dout, cache):
    cos, sin = cache
    h = dout.shape[-1] // 2
    d1, d2 = dout[..., :h], dout[..., h:]
    return np.concatenate([d1 * cos + d2 * sin, -d1 * sin + d2 * cos], axis=-1)
