# expect: pass
"""log-space and recompute: sigmoid(x) = exp(-logaddexp(0, -x)), which never overflows, and a cache of x alone (with the form), backward recomputing the gate; erf through np.frompyfunc, because memory is scarcer than a second pass in a large model and logaddexp is the stable softplus everyone reuses."""
import math

import numpy as np

_erf = np.frompyfunc(math.erf, 1, 1)
_FORMS = ("none", "tanh")


def _gate_and_slope(x, approximate):
    if approximate == "none":
        gate = 0.5 * (1.0 + _erf(x * math.sqrt(0.5)).astype(np.float64))
        slope = np.exp(-0.5 * np.square(x)) / math.sqrt(2 * math.pi)
        return gate, slope
    k = math.sqrt(2 / math.pi)
    t = np.tanh(k * x * (1 + 0.044715 * x * x))
    return (1 + t) / 2, (1 - t) * (1 + t) / 2 * k * (1 + 0.134145 * x * x)


def gelu_forward(x, approximate="none"):
    if approximate not in _FORMS:
        raise ValueError("approximate must be one of " + ", ".join(_FORMS))
    gate, _ = _gate_and_slope(x, approximate)
    return x * gate, {"x": x, "approximate": approximate}


def gelu_backward(dout, cache):
    gate, slope = _gate_and_slope(cache["x"], cache["approximate"])
    return dout * gate + dout * cache["x"] * slope


def silu_forward(x):
    return x * np.exp(-np.logaddexp(0.0, -x)), {"x": x}


def silu_backward(dout, cache):
    x = cache["x"]
    s = np.exp(-np.logaddexp(0.0, -x))
    return dout * (s + x * s * (1 - s))
