# expect: pass
"""Element by element over the flattened weights, as a first answer written with the formula of the paper in mind and no trust in broadcasting: the decay, then Adam, one scalar at a time."""
import math

import numpy as np


def adamw(w, dw, config=None):
    config = {} if config is None else config
    for key, default in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                         ("epsilon", 1e-8), ("weight_decay", 1e-2), ("t", 0)):
        if key not in config:
            config[key] = default
    lr, b1, b2, eps, wd = (config[k] for k in ("learning_rate", "beta1", "beta2", "epsilon", "weight_decay"))
    t = config["t"] + 1
    m = np.array(config["m"], dtype=float) if "m" in config else np.zeros(w.shape)
    v = np.array(config["v"], dtype=float) if "v" in config else np.zeros(w.shape)
    next_w = np.empty(w.shape)
    flat_w, flat_dw, flat_m, flat_v, out = w.reshape(-1), dw.reshape(-1), m.reshape(-1), v.reshape(-1), \
        next_w.reshape(-1)
    for i in range(flat_w.size):
        g = flat_dw[i]
        flat_m[i] = b1 * flat_m[i] + (1 - b1) * g
        flat_v[i] = b2 * flat_v[i] + (1 - b2) * g * g
        m_hat = flat_m[i] / (1 - b1**t)
        v_hat = flat_v[i] / (1 - b2**t)
        out[i] = flat_w[i] - lr * wd * flat_w[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
    config["t"], config["m"], config["v"] = t, m, v
    return next_w, config
