# expect-fail: gradient dx
# diagnosis: backward rotates by +a
"""Backward calls the forward's rotation on dout, because the layer is linear in x and "the gradient of a linear map is the same map" feels right, but it is the transpose, the rotation by -a."""
import numpy as np


def _rotate(v, cos, sin):
    h = v.shape[-1] // 2
    v1, v2 = v[..., :h], v[..., h:]
    return np.concatenate([v1 * cos - v2 * sin, v1 * sin + v2 * cos], axis=-1)


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2:
        raise ValueError("d must be even")
    positions = np.arange(T) if positions is None else np.asarray(positions)
    angle = positions[:, None] * base ** (-2 * np.arange(d // 2) / d)
    cos, sin = np.cos(angle), np.sin(angle)
    return _rotate(x, cos, sin), (cos, sin)


def rope_backward(dout, cache):
    cos, sin = cache
    return _rotate(dout, cos, sin)
