# expect-fail: w and dw not modified
"""Copies PyTorch's param.mul_(1 - lr * weight_decay): an in-place multiply on the caller's own array, which changes the w the training loop still holds; the values returned are right."""
import numpy as np


def adamw(w, dw, config=None):
    config = {} if config is None else config
    for key, default in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                         ("epsilon", 1e-8), ("weight_decay", 1e-2), ("t", 0)):
        config.setdefault(key, default)
    lr, b1, b2 = config["learning_rate"], config["beta1"], config["beta2"]
    w *= 1 - lr * config["weight_decay"]  # in place, as torch's param.mul_
    t = config["t"] + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    config.update(t=t, m=m, v=v)
    next_w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + config["epsilon"])
    return next_w, config
