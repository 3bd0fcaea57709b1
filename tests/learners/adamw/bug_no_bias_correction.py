# expect-group-fail: value
# diagnosis: adamw without bias correction
"""Adam remembered as m / (sqrt(v) + eps), the decay right; the bias corrections are the part of Adam that gets dropped when written from memory, and the first steps come out about 3x too large."""
import numpy as np


def adamw(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("weight_decay", 1e-2)
    config.setdefault("t", 0)
    lr = config["learning_rate"]
    config["t"] += 1
    config["m"] = config["beta1"] * config.get("m", np.zeros_like(w)) + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config.get("v", np.zeros_like(w)) + (1 - config["beta2"]) * dw**2
    next_w = w * (1 - lr * config["weight_decay"]) - lr * config["m"] / (np.sqrt(config["v"]) + config["epsilon"])
    return next_w, config
