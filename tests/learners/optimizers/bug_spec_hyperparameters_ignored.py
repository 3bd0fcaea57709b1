# expect-fail: custom configs; missing keys take defaults
# diagnosis: hyperparameters in config ignored
"""The hyperparameters are module constants and config only carries the state: every run from config=None is right, and every custom learning rate, momentum, decay rate, beta or epsilon is ignored."""
import numpy as np

LEARNING_RATE, MOMENTUM, DECAY_RATE, EPSILON = 1e-2, 0.9, 0.99, 1e-8
ADAM_LEARNING_RATE, BETA1, BETA2 = 1e-3, 0.9, 0.999


def sgd(w, dw, config=None):
    return w - LEARNING_RATE * dw, {} if config is None else config


def sgd_momentum(w, dw, config=None):
    config = {} if config is None else config
    config["velocity"] = MOMENTUM * config.get("velocity", np.zeros_like(w)) - LEARNING_RATE * dw
    return w + config["velocity"], config


def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    config["cache"] = DECAY_RATE * config.get("cache", np.zeros_like(w)) + (1 - DECAY_RATE) * dw**2
    return w - LEARNING_RATE * dw / (np.sqrt(config["cache"]) + EPSILON), config


def adam(w, dw, config=None):
    config = {} if config is None else config
    t = config.get("t", 0) + 1
    m = BETA1 * config.get("m", np.zeros_like(w)) + (1 - BETA1) * dw
    v = BETA2 * config.get("v", np.zeros_like(w)) + (1 - BETA2) * dw**2
    config.update(t=t, m=m, v=v)
    m_hat, v_hat = m / (1 - BETA1**t), v / (1 - BETA2**t)
    return w - ADAM_LEARNING_RATE * m_hat / (np.sqrt(v_hat) + EPSILON), config
