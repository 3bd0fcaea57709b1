# expect-group-fail: value
# diagnosis: L2 added to the gradient
"""Adds weight_decay * w to the gradient and runs Adam: the textbook L2 regularisation, and what torch.optim.Adam's own weight_decay argument does, so a learner who knows Adam reaches for it; AdamW's point is to keep the decay out of m and v."""
import numpy as np


def adamw(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("weight_decay", 1e-2)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    g = dw + config["weight_decay"] * w  # weight decay as an L2 term in the gradient
    config["t"] += 1
    config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * g
    config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * g * g
    m_hat = config["m"] / (1 - config["beta1"] ** config["t"])
    v_hat = config["v"] / (1 - config["beta2"] ** config["t"])
    next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    return next_w, config
