# expect-fail: adam over several steps; adam's first step is -lr*sign(dw); adam increments t before use
# diagnosis: adam's t incremented after use
"""t incremented after the step, counting from 0: the first bias correction divides by 1 - beta1**0 = 0, and every next_w is NaN."""
import numpy as np


def sgd(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    d = config["decay_rate"]
    config["cache"] = d * config.get("cache", np.zeros_like(w)) + (1 - d) * dw**2
    return w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"]), config


def adam(w, dw, config=None):
    config = {} if config is None else config
    for key, default in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8), ("t", 0)):
        config.setdefault(key, default)
    b1, b2 = config["beta1"], config["beta2"]
    t = config["t"]
    config["m"] = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    config["v"] = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    with np.errstate(divide="ignore", invalid="ignore"):
        m_hat, v_hat = config["m"] / (1 - b1**t), config["v"] / (1 - b2**t)
    config["t"] = t + 1
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
