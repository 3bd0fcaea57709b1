# expect: pass
"""Complex numbers, z = x1 + i*x2 times exp(i*a), because a 2-D rotation is a multiplication by a unit complex number (the way Meta's LLaMA code writes it, here with the halves as real and imaginary parts)."""
import numpy as np


def rope_forward(x, positions=None, base=10000.0):
    T, d = x.shape[-2:]
    if d % 2 == 1:
        raise ValueError("odd feature dimension")
    pos = np.arange(T) if positions is None else positions
    freqs = base ** (-np.arange(0, d, 2) / d)
    phase = np.exp(1j * np.einsum("t,f->tf", pos.astype(float), freqs))
    z = (x[..., : d // 2] + 1j * x[..., d // 2:]) * phase
    return np.concatenate([z.real, z.imag], axis=-1), phase


def rope_backward(dout, cache):
    half = dout.shape[-1] // 2
    g = (dout[..., :half] + 1j * dout[..., half:]) * np.conj(cache)
    return np.concatenate([g.real, g.imag], axis=-1)
