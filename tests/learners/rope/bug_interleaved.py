# expect-fail: forward values; gradient dx
# diagnosis: interleaved pairs
"""Pairs of neighbours (x[..., 0::2], x[..., 1::2]), because that is how the RoFormer paper and Meta's original LLaMA (view_as_complex) write it, while GPT-NeoX and Hugging Face LLaMA pair the two halves."""
import numpy as np


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2:
        raise ValueError("d must be even")
    if positions is None:
        positions = np.arange(T)
    theta = base ** (-np.arange(0, d, 2) / d)
    angle = positions[:, None] * theta
    cos, sin = np.cos(angle), np.sin(angle)
    out = np.empty_like(x)
    out[..., 0::2] = x[..., 0::2] * cos - x[..., 1::2] * sin
    out[..., 1::2] = x[..., 0::2] * sin + x[..., 1::2] * cos
    return out, (cos, sin)


def rope_backward(dout, cache):
    cos, sin = cache
    dx = np.empty_like(dout)
    dx[..., 0::2] = dout[..., 0::2] * cos + dout[..., 1::2] * sin
    dx[..., 1::2] = -dout[..., 0::2] * sin + dout[..., 1::2] * cos
    return dx
