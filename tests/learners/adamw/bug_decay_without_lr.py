# expect-group-fail: value
# diagnosis: decay without the learning rate
"""Decays by w * (1 - weight_decay), as the paper's equation writes it with its own schedule multiplier eta_t and as one remembers "weight decay 0.01 shrinks the weights by 1%"; PyTorch multiplies the decay by the learning rate."""
import numpy as np


def adamw(w, dw, config=None):
    if config is None:
        config = {}
    defaults = dict(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=1e-2, t=0)
    for k, val in defaults.items():
        config.setdefault(k, val)
    if "m" not in config:
        config["m"] = np.zeros_like(w)
        config["v"] = np.zeros_like(w)
    w = w * (1 - config["weight_decay"])
    config["t"] = config["t"] + 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw**2
    mh = config["m"] / (1 - config["beta1"] ** config["t"])
    vh = config["v"] / (1 - config["beta2"] ** config["t"])
    return w - config["learning_rate"] * mh / (np.sqrt(vh) + config["epsilon"]), config
