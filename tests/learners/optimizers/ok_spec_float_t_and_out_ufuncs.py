# expect: pass
"""sgd as sgd_momentum with momentum 0 (extra keys in its config are allowed), the state updated with out= ufuncs on fresh arrays, and Adam's t kept as a float."""
import numpy as np


def _filled(config, **defaults):
    config = {} if config is None else config
    for key, value in defaults.items():
        if key not in config:
            config[key] = value
    return config


def sgd(w, dw, config=None):
    config = _filled(config, learning_rate=1e-2)
    next_w, _ = sgd_momentum(w, dw, {"learning_rate": config["learning_rate"], "momentum": 0.0})
    return next_w, config


def sgd_momentum(w, dw, config=None):
    config = _filled(config, learning_rate=1e-2, momentum=0.9)
    velocity = np.multiply(config["momentum"], config.get("velocity", np.zeros_like(w)))
    np.subtract(velocity, config["learning_rate"] * dw, out=velocity)
    config["velocity"] = velocity
    return np.add(w, velocity), config


def rmsprop(w, dw, config=None):
    config = _filled(config, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8)
    d = config["decay_rate"]
    cache = np.multiply(d, config.get("cache", np.zeros_like(w)))
    cache += (1 - d) * np.square(dw)
    config["cache"] = cache
    step = np.sqrt(cache)
    np.add(step, config["epsilon"], out=step)
    np.divide(dw, step, out=step)
    return w - config["learning_rate"] * step, config


def adam(w, dw, config=None):
    config = _filled(config, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, t=0.0)
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] = t = float(config["t"]) + 1.0
    config["m"] = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    config["v"] = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    m_hat = config["m"] / (1 - b1**t)
    v_hat = config["v"] / (1 - b2**t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
