# expect-fail: state carried in config; t incremented before use
# diagnosis: t incremented after use
"""Starts t at 1 so that the first bias correction is not a division by zero, and increments it at the end of the step, as a loop counter is: the runs from None agree, but t is one ahead of the steps taken, so a config resumed from a checkpoint (t = 4) steps as step 4 again."""
import numpy as np


def adamw(w, dw, config=None):
    config = {} if config is None else config
    for key, default in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999),
                         ("epsilon", 1e-8), ("weight_decay", 1e-2), ("t", 1)):
        config.setdefault(key, default)
    t, b1, b2, lr = config["t"], config["beta1"], config["beta2"], config["learning_rate"]
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    step = (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + config["epsilon"])
    next_w = w * (1 - lr * config["weight_decay"]) - lr * step
    config.update(m=m, v=v, t=t + 1)
    return next_w, config
