# expect: pass
"""The same rules in other algebra: moving averages as "avg += (1 - d) * (new - avg)", in-place updates on private copies, and Adam's bias corrections folded into the step size and the denominator."""
import numpy as np

DEFAULTS = {
    "sgd": {"learning_rate": 1e-2},
    "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 0},
}


def _config(name, config):
    config = {} if config is None else config
    for key, value in DEFAULTS[name].items():
        config.setdefault(key, value)
    return config


def sgd(w, dw, config=None):
    config = _config("sgd", config)
    next_w = np.copy(w)
    next_w -= config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    config = _config("sgd_momentum", config)
    velocity = np.array(config.get("velocity", np.zeros_like(w)), dtype=float)  # a private copy
    velocity *= config["momentum"]
    velocity -= config["learning_rate"] * dw
    config["velocity"] = velocity
    return w + velocity, config


def rmsprop(w, dw, config=None):
    config = _config("rmsprop", config)
    cache = np.array(config.get("cache", np.zeros_like(w)), dtype=float)
    cache += (1 - config["decay_rate"]) * (np.square(dw) - cache)
    config["cache"] = cache
    denominator = np.sqrt(cache) + config["epsilon"]
    return w - config["learning_rate"] * (dw / denominator), config


def adam(w, dw, config=None):
    config = _config("adam", config)
    b1, b2, eps = config["beta1"], config["beta2"], config["epsilon"]
    t = config["t"] + 1
    m = np.array(config.get("m", np.zeros_like(w)), dtype=float)
    v = np.array(config.get("v", np.zeros_like(w)), dtype=float)
    m += (1 - b1) * (dw - m)
    v += (1 - b2) * (np.square(dw) - v)
    step_size = config["learning_rate"] / (1 - b1**t)
    denominator = np.sqrt(v) / np.sqrt(1 - b2**t) + eps
    config.update(t=t, m=m, v=v)
    return w - step_size * m / denominator, config
