# expect: pass
"""Never touches the caller's dict: each rule merges defaults and the given config into a NEW dict and returns that, so only the returned config carries the state."""
import numpy as np


def _merged(config, **defaults):
    return {**defaults, **(config or {})}


def sgd(w, dw, config=None):
    config = _merged(config, learning_rate=1e-2)
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    config = _merged(config, learning_rate=1e-2, momentum=0.9, velocity=np.zeros_like(w))
    config["velocity"] = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    return w + config["velocity"], config


def rmsprop(w, dw, config=None):
    config = _merged(config, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8, cache=np.zeros_like(w))
    d = config["decay_rate"]
    config["cache"] = d * config["cache"] + (1 - d) * dw * dw
    return w - config["learning_rate"] * dw / (np.sqrt(config["cache"]) + config["epsilon"]), config


def adam(w, dw, config=None):
    config = _merged(config, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8,
                     m=np.zeros_like(w), v=np.zeros_like(w), t=0)
    config["t"] = t = config["t"] + 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw**2
    m_hat = config["m"] / (1 - config["beta1"] ** t)
    v_hat = config["v"] / (1 - config["beta2"] ** t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
