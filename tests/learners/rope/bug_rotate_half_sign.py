# expect-fail: forward values
# diagnosis: rotation's sign swapped
"""rotate_half written as concatenate(x2, -x1), because which half gets the minus is easy to misremember, and the result still looks like a rotation (it is one, by -a)."""
import numpy as np


def rotate_half(x):
    h = x.shape[-1] // 2
    return np.concatenate([x[..., h:], -x[..., :h]], axis=-1)


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2:
        raise ValueError("d must be even")
    pos = np.arange(T) if positions is None else positions
    freqs = np.outer(pos, 1.0 / base ** (np.arange(0, d, 2) / d))
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    return x * cos + rotate_half(x) * sin, (cos, sin)


def rope_backward(dout, cache):
    cos, sin = cache
    return dout * cos - rotate_half(dout * sin)
