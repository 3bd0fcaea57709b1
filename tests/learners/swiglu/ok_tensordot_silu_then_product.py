# expect: pass
"""np.tensordot over all leading axes at once (no reshape), silu and its derivative as small helpers, and the cache a namedtuple holding only the inputs (backward recomputes the projections)."""
from collections import namedtuple

import numpy as np

Cache = namedtuple("Cache", "x w_gate w_up w_down")


def _sigmoid(z):
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out


def swiglu_forward(x, w_gate, w_up, w_down):
    gate = np.tensordot(x, w_gate, axes=1)
    up = np.tensordot(x, w_up, axes=1)
    return np.tensordot(gate * _sigmoid(gate) * up, w_down, axes=1), Cache(x, w_gate, w_up, w_down)


def swiglu_backward(dout, cache):
    x, w_gate, w_up, w_down = cache
    gate = np.tensordot(x, w_gate, axes=1)
    up = np.tensordot(x, w_up, axes=1)
    s = _sigmoid(gate)
    silu = gate * s
    dsilu = s * (1 + gate * (1 - s))
    dhidden = np.tensordot(dout, w_down.T, axes=1)
    dgate = dhidden * up * dsilu
    dup = dhidden * silu
    lead = list(range(x.ndim - 1))
    dx = np.tensordot(dgate, w_gate.T, axes=1) + np.tensordot(dup, w_up.T, axes=1)
    dw_gate = np.tensordot(x, dgate, axes=(lead, lead))
    dw_up = np.tensordot(x, dup, axes=(lead, lead))
    dw_down = np.tensordot(silu * up, dout, axes=(lead, lead))
    return dx, dw_gate, dw_up, dw_down
