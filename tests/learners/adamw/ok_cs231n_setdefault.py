# expect: pass
"""CS231n's adam, config.setdefault for every key and the state updated in the dict given, with the decay added as a separate subtraction, w - lr*weight_decay*w."""
import numpy as np
def adamw(w, dw, config=None):
    if config is None: config = {}
    config.setdefault("learning_rate", 1e-3); config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999); config.setdefault("epsilon", 1e-8)
    config.setdefault("weight_decay", 1e-2); config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w)); config.setdefault("t", 0)
    next_w = None
    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * (dw * dw)
    mt = config["m"] / (1 - config["beta1"] ** config["t"])
    vt = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * config["weight_decay"] * w
    next_w -= config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"])
    return next_w, config
