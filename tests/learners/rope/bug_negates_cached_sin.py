# expect-fail: deterministic
"""Backward flips the cached sin in place (sin *= -1) to rotate by -a, because that saves an array, but the cache is changed: a second backward with the same cache rotates the wrong way."""
import numpy as np


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2:
        raise ValueError("d must be even")
    positions = np.arange(T) if positions is None else positions
    angle = positions[:, None] * base ** (-2 * np.arange(d // 2) / d)
    return _rotate(x, np.cos(angle), np.sin(angle)), [np.cos(angle), np.sin(angle)]


def _rotate(v, cos, sin):
    h = v.shape[-1] // 2
    return np.concatenate([v[..., :h] * cos - v[..., h:] * sin, v[..., :h] * sin + v[..., h:] * cos], axis=-1)


def rope_backward(dout, cache):
    cos, sin = cache
    sin *= -1
    return _rotate(dout, cos, sin)
