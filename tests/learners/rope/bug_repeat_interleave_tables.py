# expect-fail: forward values; relative positions: scores depend only on m - n
"""cos and sin tables widened with np.repeat(freqs, 2, axis=-1), the interleaved convention's repeat_interleave, then used with the half-split rotate_half: x_i and x_(i+d/2) get different angles, so nothing is a rotation any more."""
import numpy as np


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2:
        raise ValueError("d must be even")
    pos = np.arange(T) if positions is None else positions
    freqs = np.outer(pos, 1.0 / base ** (np.arange(0, d, 2) / d))
    emb = np.repeat(freqs, 2, axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    return x * cos + rotate_half(x) * sin, (cos, sin)


def rope_backward(dout, cache):
    cos, sin = cache
    return dout * cos - rotate_half(dout * sin)
